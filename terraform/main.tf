# An EKS cluster for the sample shop and the Grafana that explains its alerts:
# a VPC over three zones, two managed node groups (on-demand for the system
# components, spot for the shop), and the AWS Load Balancer Controller for the
# ALB ingress (k8s/overlays/eks). IAM is in iam.tf, ECR and logs in
# registry.tf, tags and budgets in cost.tf.

data "aws_availability_zones" "available" {
  state = "available"
}

data "aws_caller_identity" "current" {}

locals {
  azs = slice(data.aws_availability_zones.available.names, 0, 3)

  # The cost-allocation keys: provider default_tags put them on every AWS
  # resource, and the EKS module copies them onto the node group's launch
  # template so the EC2 instances and volumes carry them too (default_tags
  # does not reach instances an Auto Scaling group launches).
  tags = merge(var.tags, {
    project       = var.project
    environment   = var.environment
    team          = var.team
    "cost-center" = var.cost_center
  })
}

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.13.0"

  name = var.cluster_name
  cidr = var.vpc_cidr
  azs  = local.azs

  private_subnets = [for i, _ in local.azs : cidrsubnet(var.vpc_cidr, 4, i)]
  public_subnets  = [for i, _ in local.azs : cidrsubnet(var.vpc_cidr, 8, 48 + i)]

  # One NAT gateway, not one per zone: a zone outage cuts egress for the
  # other two, which a demo accepts for a third of the NAT cost.
  enable_nat_gateway = true
  single_nat_gateway = true

  # Subnet discovery for the AWS Load Balancer Controller.
  public_subnet_tags = {
    "kubernetes.io/role/elb" = 1
  }
  private_subnet_tags = {
    "kubernetes.io/role/internal-elb" = 1
  }
}

module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "20.24.3"

  cluster_name    = var.cluster_name
  cluster_version = var.kubernetes_version

  vpc_id     = module.vpc.vpc_id
  subnet_ids = module.vpc.private_subnets

  # Private by default: the API answers inside the VPC only. Set
  # api_public_access = true with your own /32 in api_allowed_cidrs to run
  # kubectl and this Terraform's helm releases from outside.
  cluster_endpoint_private_access      = true
  cluster_endpoint_public_access       = var.api_public_access
  cluster_endpoint_public_access_cidrs = var.api_allowed_cidrs

  enable_cluster_creator_admin_permissions = true
  enable_irsa                              = true

  eks_managed_node_groups = {
    # Prometheus, Grafana, Tempo, Argo CD: stateful or control-plane-like,
    # so on-demand. Two t3.large fit the observability stack's requests
    # (about 2.5 vCPU and 6 GiB) with room for a rolling node replacement.
    system = {
      capacity_type  = "ON_DEMAND"
      instance_types = var.system_node_instance_types
      desired_size   = var.system_node_count.desired
      min_size       = var.system_node_count.min
      max_size       = var.system_node_count.max
      labels = {
        "node-role/system" = "true"
      }
    }
    # The shop's three services and the load generator are stateless and
    # run three replicas across zones, so a spot interruption costs one
    # pod; several instance types keep spot capacity available.
    shop = {
      capacity_type  = "SPOT"
      instance_types = var.shop_node_instance_types
      desired_size   = var.shop_node_count.desired
      min_size       = var.shop_node_count.min
      max_size       = var.shop_node_count.max
      labels = {
        "node-role/shop" = "true"
      }
    }
  }

  tags = local.tags
}

resource "helm_release" "aws_load_balancer_controller" {
  name       = "aws-load-balancer-controller"
  repository = "https://aws.github.io/eks-charts"
  chart      = "aws-load-balancer-controller"
  version    = "1.9.2"
  namespace  = "kube-system"

  set {
    name  = "clusterName"
    value = module.eks.cluster_name
  }
  set {
    name  = "serviceAccount.name"
    value = "aws-load-balancer-controller"
  }
  set {
    name  = "serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn"
    value = module.lb_controller_irsa.iam_role_arn
  }
  set {
    name  = "vpcId"
    value = module.vpc.vpc_id
  }
}
