# Where the images and the container logs live.

resource "aws_ecr_repository" "this" {
  for_each = toset(var.ecr_repositories)

  name = "${var.cluster_name}/${each.value}"
  # Tags are the git SHA (see .github/workflows/images.yml): a pushed tag
  # never moves, so a Rollout's revision always names the same image.
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }
}

resource "aws_ecr_lifecycle_policy" "this" {
  for_each   = aws_ecr_repository.this
  repository = each.value.name
  policy = jsonencode({
    rules = [{
      rulePriority = 1
      description  = "Keep the newest ${var.ecr_keep_images} images"
      selection = {
        tagStatus   = "any"
        countType   = "imageCountMoreThan"
        countNumber = var.ecr_keep_images
      }
      action = { type = "expire" }
    }]
  })
}

# Fluent Bit writes here, one stream per <namespace>/<pod>/<container>; the
# plugin reads it for a pod's log lines.
resource "aws_cloudwatch_log_group" "containers" {
  name              = "/aws/eks/${var.cluster_name}/containers"
  retention_in_days = var.log_retention_days
}

resource "aws_prometheus_workspace" "this" {
  alias = var.cluster_name
}
