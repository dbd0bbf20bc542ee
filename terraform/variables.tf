variable "region" {
  description = "AWS region of the cluster."
  type        = string
  default     = "us-east-1"
}

variable "cluster_name" {
  description = "Name of the EKS cluster."
  type        = string
  default     = "aiops-demo"
}

variable "kubernetes_version" {
  description = "EKS Kubernetes version."
  type        = string
  default     = "1.33"
}

variable "vpc_cidr" {
  description = "CIDR of the cluster's VPC."
  type        = string
  default     = "10.42.0.0/16"
}

variable "node_instance_types" {
  description = "Instance types of the managed node group."
  type        = list(string)
  default     = ["t3.large"]
}

variable "node_count" {
  description = "Desired, minimum and maximum node count."
  type = object({
    desired = number
    min     = number
    max     = number
  })
  default = {
    desired = 3
    min     = 2
    max     = 6
  }
}

variable "grafana_namespace" {
  description = "Namespace of the Grafana that runs the plugin."
  type        = string
  default     = "monitoring"
}

variable "grafana_service_account" {
  description = "ServiceAccount of that Grafana; it gets an IAM role (IRSA) for Bedrock, Amazon Managed Prometheus and CloudWatch."
  type        = string
  default     = "grafana"
}

variable "bedrock_model_arns" {
  description = "Bedrock foundation models the plugin may invoke."
  type        = list(string)
  default     = ["arn:aws:bedrock:*::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0", "arn:aws:bedrock:*::foundation-model/meta.llama3-1-8b-instruct-v1:0"]
}

variable "tags" {
  description = "Tags on every resource."
  type        = map(string)
  default = {
    project = "cloudobs-aiops"
  }
}
