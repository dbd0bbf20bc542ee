output "cluster_name" {
  description = "EKS cluster name (aws eks update-kubeconfig --name ...)."
  value       = module.eks.cluster_name
}

output "region" {
  description = "AWS region of the cluster."
  value       = var.region
}

output "cluster_endpoint" {
  description = "Kubernetes API endpoint (private unless api_public_access)."
  value       = module.eks.cluster_endpoint
}

output "grafana_irsa_role_arn" {
  description = "Annotate observability/grafana with eks.amazonaws.com/role-arn = this (Bedrock, AMP query, logs read)."
  value       = module.grafana_irsa.iam_role_arn
}

output "fluent_bit_irsa_role_arn" {
  description = "Annotate observability/fluent-bit with eks.amazonaws.com/role-arn = this (logs:PutLogEvents)."
  value       = module.fluent_bit_irsa.iam_role_arn
}

output "prometheus_irsa_role_arn" {
  description = "Annotate observability/prometheus with eks.amazonaws.com/role-arn = this (aps:RemoteWrite)."
  value       = module.prometheus_irsa.iam_role_arn
}

output "amp_workspace_id" {
  description = "Amazon Managed Service for Prometheus workspace id."
  value       = aws_prometheus_workspace.this.id
}

output "amp_remote_write_url" {
  description = "Prometheus remoteWrite URL (SigV4, region = region)."
  value       = "${aws_prometheus_workspace.this.prometheus_endpoint}api/v1/remote_write"
}

output "prometheus_query_url" {
  description = "The plugin's Prometheus URL setting (auth type sigv4)."
  value       = aws_prometheus_workspace.this.prometheus_endpoint
}

output "cloudwatch_log_group" {
  description = "Log group Fluent Bit writes and the plugin reads; streams are <namespace>/<pod>/<container>."
  value       = aws_cloudwatch_log_group.containers.name
}

output "ecr_repository_urls" {
  description = "ECR repository URL per image name."
  value       = { for name, repo in aws_ecr_repository.this : name => repo.repository_url }
}

output "bedrock_model_ids" {
  description = "Model ids the plugin's Bedrock setting may use."
  value       = var.bedrock_model_ids
}

output "github_ecr_push_role_arn" {
  description = "Role for aws-actions/configure-aws-credentials in .github/workflows/images.yml (secret AWS_ECR_PUSH_ROLE_ARN)."
  value       = var.github_repository == "" ? "" : aws_iam_role.github_ecr_push[0].arn
}

output "budget_sns_topic_arn" {
  description = "SNS topic the monthly budget alerts; subscribe chat or paging to it."
  value       = aws_sns_topic.budget.arn
}
