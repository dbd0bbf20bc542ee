# The observability stack that watches the shop, in var.observability_namespace
# and reached only inside the VPC: kube-prometheus-stack (Prometheus,
# Alertmanager, kube-state-metrics, node-exporter), Grafana with this plugin,
# the OpenTelemetry collector, Tempo, and Fluent Bit shipping container logs to
# CloudWatch Logs. Charts are pinned; their values live in k8s/monitoring/values
# so kustomize and Terraform read one copy. Terraform adds only what it knows:
# IRSA role ARNs, the AMP remote-write URL, the log group and the region.

resource "helm_release" "kube_prometheus_stack" {
  name             = "kube-prometheus-stack"
  repository       = "https://prometheus-community.github.io/helm-charts"
  chart            = "kube-prometheus-stack"
  version          = "65.1.1"
  namespace        = var.observability_namespace
  create_namespace = true

  values = [
    file("${path.module}/../k8s/monitoring/values/kube-prometheus-stack.yaml"),
    yamlencode({
      prometheus = {
        serviceAccount = {
          annotations = { "eks.amazonaws.com/role-arn" = module.prometheus_irsa.iam_role_arn }
        }
        prometheusSpec = {
          remoteWrite = [{
            url   = "${aws_prometheus_workspace.this.prometheus_endpoint}api/v1/remote_write"
            sigv4 = { region = var.region }
          }]
        }
      }
    }),
  ]
}

resource "helm_release" "tempo" {
  name       = "tempo"
  repository = "https://grafana.github.io/helm-charts"
  chart      = "tempo"
  version    = "1.10.3"
  namespace  = var.observability_namespace

  values     = [file("${path.module}/../k8s/monitoring/values/tempo.yaml")]
  depends_on = [helm_release.kube_prometheus_stack]
}

resource "helm_release" "otel_collector" {
  name       = "otel-collector"
  repository = "https://open-telemetry.github.io/opentelemetry-helm-charts"
  chart      = "opentelemetry-collector"
  version    = "0.108.0"
  namespace  = var.observability_namespace

  values     = [file("${path.module}/../k8s/monitoring/values/opentelemetry-collector.yaml")]
  depends_on = [helm_release.tempo]
}

resource "helm_release" "grafana" {
  name       = "grafana"
  repository = "https://grafana.github.io/helm-charts"
  chart      = "grafana"
  version    = "8.5.2"
  namespace  = var.observability_namespace

  values = [
    file("${path.module}/../k8s/monitoring/values/grafana.yaml"),
    yamlencode({
      serviceAccount = {
        annotations = { "eks.amazonaws.com/role-arn" = module.grafana_irsa.iam_role_arn }
      }
      # The release zip, unzipped by Grafana at start (url;plugin-id).
      plugins = ["${var.plugin_zip_url};cloudobs-aiops-app"]
      dashboards = {
        aiops = {
          for f in fileset("${path.module}/../provisioning/dashboards/json", "*.json") :
          trimsuffix(f, ".json") => { json = file("${path.module}/../provisioning/dashboards/json/${f}") }
        }
      }
    }),
  ]
  depends_on = [helm_release.kube_prometheus_stack]
}

resource "helm_release" "fluent_bit" {
  name       = "fluent-bit"
  repository = "https://fluent.github.io/helm-charts"
  chart      = "fluent-bit"
  version    = "0.47.10"
  namespace  = var.observability_namespace

  values = [
    templatefile("${path.module}/../k8s/monitoring/values/fluent-bit.yaml", {
      log_group = aws_cloudwatch_log_group.containers.name
      region    = var.region
    }),
    yamlencode({
      serviceAccount = {
        annotations = { "eks.amazonaws.com/role-arn" = module.fluent_bit_irsa.iam_role_arn }
      }
    }),
  ]
  depends_on = [helm_release.kube_prometheus_stack]
}
