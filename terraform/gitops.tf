# Argo CD (GitOps) and Argo Rollouts (the order-service canary). Their values
# live in k8s/gitops/values; what Argo CD then syncs is k8s/gitops.

resource "helm_release" "argo_cd" {
  name             = "argo-cd"
  repository       = "https://argoproj.github.io/argo-helm"
  chart            = "argo-cd"
  version          = "7.7.0"
  namespace        = "argocd"
  create_namespace = true

  values = [file("${path.module}/../k8s/gitops/values/argo-cd.yaml")]
}

resource "helm_release" "argo_rollouts" {
  name             = "argo-rollouts"
  repository       = "https://argoproj.github.io/argo-helm"
  chart            = "argo-rollouts"
  version          = "2.38.0"
  namespace        = "argo-rollouts"
  create_namespace = true

  values = [file("${path.module}/../k8s/gitops/values/argo-rollouts.yaml")]
}
