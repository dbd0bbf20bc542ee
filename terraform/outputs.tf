output "cluster_name" {
  description = "EKS cluster name (aws eks update-kubeconfig --name ...)."
  value       = module.eks.cluster_name
}

output "cluster_endpoint" {
  description = "Kubernetes API endpoint."
  value       = module.eks.cluster_endpoint
}

output "prometheus_query_url" {
  description = "Amazon Managed Prometheus query URL for the plugin's Prometheus setting (auth type sigv4)."
  value       = aws_prometheus_workspace.this.prometheus_endpoint
}

output "grafana_role_arn" {
  description = "Annotate Grafana's ServiceAccount with eks.amazonaws.com/role-arn = this."
  value       = module.grafana_irsa.iam_role_arn
}
