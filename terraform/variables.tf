variable "region" {
  description = "AWS region of the cluster."
  type        = string
  default     = "us-east-1"
}

variable "cluster_name" {
  description = "Name of the EKS cluster; prefixes every other name."
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

variable "api_public_access" {
  description = "Whether the Kubernetes API is reachable from outside the VPC (then only from api_allowed_cidrs)."
  type        = bool
  default     = false
}

variable "api_allowed_cidrs" {
  description = "CIDRs allowed to reach the public Kubernetes API when api_public_access is true; 0.0.0.0/0 is refused."
  type        = list(string)
  default     = []

  validation {
    condition     = !contains(var.api_allowed_cidrs, "0.0.0.0/0")
    error_message = "api_allowed_cidrs must not contain 0.0.0.0/0; name your own networks."
  }
}

variable "system_node_instance_types" {
  description = "Instance types of the on-demand system node group (observability stack, Argo CD)."
  type        = list(string)
  default     = ["t3.large"]
}

variable "system_node_count" {
  description = "Desired, minimum and maximum size of the system node group."
  type = object({
    desired = number
    min     = number
    max     = number
  })
  default = {
    desired = 2
    min     = 2
    max     = 3
  }
}

variable "shop_node_instance_types" {
  description = "Instance types of the spot shop node group; several so spot capacity is there."
  type        = list(string)
  default     = ["t3.medium", "t3a.medium", "t2.medium"]
}

variable "shop_node_count" {
  description = "Desired, minimum and maximum size of the spot shop node group."
  type = object({
    desired = number
    min     = number
    max     = number
  })
  default = {
    desired = 2
    min     = 1
    max     = 4
  }
}

variable "observability_namespace" {
  description = "Namespace of Grafana (the plugin), Fluent Bit and Prometheus; their ServiceAccounts get IRSA roles."
  type        = string
  default     = "observability"
}

variable "bedrock_model_ids" {
  description = "Bedrock model ids the plugin may invoke; must include the plugin's default model (pkg/llm DefaultBedrockModel)."
  type        = list(string)
  default     = ["anthropic.claude-3-haiku-20240307-v1:0", "anthropic.claude-3-5-haiku-20241022-v1:0"]
}

variable "bedrock_profile_prefixes" {
  description = "Cross-region inference profile prefixes (us, eu, apac) allowed for those models."
  type        = list(string)
  default     = ["us"]
}

variable "bedrock_profile_regions" {
  description = "Regions a cross-region inference profile may route to; the model is allowed there too."
  type        = list(string)
  default     = ["us-east-1", "us-east-2", "us-west-2"]
}

variable "ecr_repositories" {
  description = "ECR repositories, one per image CI builds."
  type        = list(string)
  default     = ["auth-service", "order-service", "payment-service", "loadgen", "grafana", "aiops"]
}

variable "ecr_keep_images" {
  description = "How many images each ECR repository keeps."
  type        = number
  default     = 30
}

variable "log_retention_days" {
  description = "Retention of the containers' CloudWatch log group."
  type        = number
  default     = 14
}

variable "github_repository" {
  description = "owner/name of the GitHub repository whose Actions push images through OIDC; empty creates no role."
  type        = string
  default     = ""
}

variable "project" {
  description = "Cost allocation tag project."
  type        = string
  default     = "cloudobs-aiops"
}

variable "environment" {
  description = "Cost allocation tag environment."
  type        = string
  default     = "demo"
}

variable "team" {
  description = "Cost allocation tag team."
  type        = string
  default     = "platform"
}

variable "cost_center" {
  description = "Cost allocation tag cost-center."
  type        = string
  default     = "observability"
}

variable "tags" {
  description = "Extra tags on every resource, besides project, environment, team and cost-center."
  type        = map(string)
  default     = {}
}

variable "activate_cost_allocation_tags" {
  description = "Activate the tag keys as cost allocation tags (management account only, after the tags have been billed once)."
  type        = bool
  default     = false
}

variable "monthly_budget_usd" {
  description = "Monthly cost budget for resources tagged with this project, in USD."
  type        = number
  default     = 400
}

variable "budget_alert_emails" {
  description = "E-mail addresses alerted by the budget (the SNS topic is always alerted)."
  type        = list(string)
  default     = []
}

variable "budget_alert_thresholds" {
  description = "Budget alerts: percent of the limit and ACTUAL or FORECASTED."
  type = list(object({
    percent = number
    type    = string
  }))
  default = [
    { percent = 80, type = "ACTUAL" },
    { percent = 100, type = "FORECASTED" },
  ]
}

variable "plugin_zip_url" {
  description = "URL of the plugin's release archive for the Grafana nodes' platform (build/cloudobs-aiops-app-<version>.linux_<amd64|arm64>.zip of a GitHub release) that Grafana installs; the default matches the x86 system node group."
  type        = string
  default     = "https://github.com/cloudobs/aiops-app/releases/download/v1.0.0/cloudobs-aiops-app-1.0.0.linux_amd64.zip"
}
