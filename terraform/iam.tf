# IRSA roles, each with only what its component calls. The Bedrock, Logs and
# Amazon Managed Prometheus statements name their resources exactly (no
# wildcard action or resource); terraform_test.go fails if one appears.

locals {
  account_id = data.aws_caller_identity.current.account_id

  # A model is reachable directly (foundation-model ARN, in the cluster's
  # region) or through a cross-region inference profile such as
  # us.anthropic.claude-3-haiku-20240307-v1:0, which routes to the
  # foundation model in any region of var.bedrock_profile_regions; Bedrock
  # checks both the profile and the model it lands on.
  bedrock_model_arns = distinct(flatten([
    for model in var.bedrock_model_ids : [
      for region in distinct(concat([var.region], var.bedrock_profile_regions)) :
      "arn:aws:bedrock:${region}::foundation-model/${model}"
    ]
  ]))
  bedrock_profile_arns = [
    for pair in setproduct(var.bedrock_profile_prefixes, var.bedrock_model_ids) :
    "arn:aws:bedrock:${var.region}:${local.account_id}:inference-profile/${pair[0]}.${pair[1]}"
  ]
}

# The plugin's backend, through Grafana's ServiceAccount: call Bedrock, query
# Amazon Managed Prometheus (SigV4), read the containers' log group, and read
# CloudWatch metrics for the ALB dashboard.
data "aws_iam_policy_document" "grafana_plugin" {
  statement {
    sid = "Bedrock"
    actions = [
      "bedrock:InvokeModel",
      "bedrock:InvokeModelWithResponseStream",
      "bedrock:Converse",
      "bedrock:ConverseStream",
    ]
    resources = concat(local.bedrock_model_arns, local.bedrock_profile_arns)
  }
  statement {
    sid       = "ManagedPrometheusQuery"
    actions   = ["aps:QueryMetrics", "aps:GetLabels", "aps:GetSeries", "aps:GetMetricMetadata"]
    resources = [aws_prometheus_workspace.this.arn]
  }
  statement {
    sid = "ContainerLogsRead"
    actions = [
      "logs:FilterLogEvents",
      "logs:GetLogEvents",
      "logs:DescribeLogStreams",
    ]
    resources = [aws_cloudwatch_log_group.containers.arn, "${aws_cloudwatch_log_group.containers.arn}:log-stream:*"]
  }
  # CloudWatch metric reads have no resource-level permissions: AWS accepts
  # only "*" here, which is why this statement is not Bedrock, Logs or APS.
  statement {
    sid       = "CloudWatchMetricsRead"
    actions   = ["cloudwatch:GetMetricData", "cloudwatch:ListMetrics", "cloudwatch:DescribeAlarms"]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "grafana_plugin" {
  name   = "${var.cluster_name}-grafana-aiops"
  policy = data.aws_iam_policy_document.grafana_plugin.json
}

module "grafana_irsa" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks"
  version = "5.44.0"

  role_name = "${var.cluster_name}-grafana-aiops"
  role_policy_arns = {
    plugin = aws_iam_policy.grafana_plugin.arn
  }

  oidc_providers = {
    main = {
      provider_arn               = module.eks.oidc_provider_arn
      namespace_service_accounts = ["${var.observability_namespace}:grafana"]
    }
  }
}

# Fluent Bit's cloudwatch_logs output: write streams into the one group.
# auto_create_group stays off (the group is created above with retention),
# so no logs:CreateLogGroup.
data "aws_iam_policy_document" "fluent_bit" {
  statement {
    sid       = "ContainerLogsWrite"
    actions   = ["logs:PutLogEvents", "logs:CreateLogStream", "logs:DescribeLogStreams"]
    resources = [aws_cloudwatch_log_group.containers.arn, "${aws_cloudwatch_log_group.containers.arn}:log-stream:*"]
  }
}

resource "aws_iam_policy" "fluent_bit" {
  name   = "${var.cluster_name}-fluent-bit"
  policy = data.aws_iam_policy_document.fluent_bit.json
}

module "fluent_bit_irsa" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks"
  version = "5.44.0"

  role_name = "${var.cluster_name}-fluent-bit"
  role_policy_arns = {
    logs = aws_iam_policy.fluent_bit.arn
  }

  oidc_providers = {
    main = {
      provider_arn               = module.eks.oidc_provider_arn
      namespace_service_accounts = ["${var.observability_namespace}:fluent-bit"]
    }
  }
}

# The AMP ingestion path: the in-cluster Prometheus remote-writes (SigV4)
# into the workspace.
data "aws_iam_policy_document" "prometheus" {
  statement {
    sid       = "ManagedPrometheusWrite"
    actions   = ["aps:RemoteWrite"]
    resources = [aws_prometheus_workspace.this.arn]
  }
}

resource "aws_iam_policy" "prometheus" {
  name   = "${var.cluster_name}-prometheus-remote-write"
  policy = data.aws_iam_policy_document.prometheus.json
}

module "prometheus_irsa" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks"
  version = "5.44.0"

  role_name = "${var.cluster_name}-prometheus"
  role_policy_arns = {
    remote_write = aws_iam_policy.prometheus.arn
  }

  oidc_providers = {
    main = {
      provider_arn               = module.eks.oidc_provider_arn
      namespace_service_accounts = ["${var.observability_namespace}:prometheus"]
    }
  }
}

module "lb_controller_irsa" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks"
  version = "5.44.0"

  role_name                              = "${var.cluster_name}-aws-load-balancer-controller"
  attach_load_balancer_controller_policy = true

  oidc_providers = {
    main = {
      provider_arn               = module.eks.oidc_provider_arn
      namespace_service_accounts = ["kube-system:aws-load-balancer-controller"]
    }
  }
}

# GitHub Actions pushes images through OIDC: no long-lived keys. The role
# trusts only this repository's main branch and tags.
resource "aws_iam_openid_connect_provider" "github" {
  count = var.github_repository == "" ? 0 : 1

  url             = "https://token.actions.githubusercontent.com"
  client_id_list  = ["sts.amazonaws.com"]
  thumbprint_list = ["6938fd4d98bab03faadb97b34396831e3780aea1"]
}

data "aws_iam_policy_document" "github_trust" {
  count = var.github_repository == "" ? 0 : 1

  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [aws_iam_openid_connect_provider.github[0].arn]
    }
    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:aud"
      values   = ["sts.amazonaws.com"]
    }
    condition {
      test     = "StringLike"
      variable = "token.actions.githubusercontent.com:sub"
      values = [
        "repo:${var.github_repository}:ref:refs/heads/main",
        "repo:${var.github_repository}:ref:refs/tags/v*",
      ]
    }
  }
}

data "aws_iam_policy_document" "github_ecr_push" {
  statement {
    sid       = "Login"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }
  statement {
    sid = "Push"
    actions = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:CompleteLayerUpload",
      "ecr:InitiateLayerUpload",
      "ecr:PutImage",
      "ecr:UploadLayerPart",
    ]
    resources = [for repo in aws_ecr_repository.this : repo.arn]
  }
}

resource "aws_iam_role" "github_ecr_push" {
  count = var.github_repository == "" ? 0 : 1

  name               = "${var.cluster_name}-github-ecr-push"
  assume_role_policy = data.aws_iam_policy_document.github_trust[0].json
}

resource "aws_iam_role_policy" "github_ecr_push" {
  count = var.github_repository == "" ? 0 : 1

  name   = "ecr-push"
  role   = aws_iam_role.github_ecr_push[0].id
  policy = data.aws_iam_policy_document.github_ecr_push.json
}
