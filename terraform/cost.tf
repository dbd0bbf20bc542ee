# Cost visibility: the tag keys in locals.tags become cost allocation tags
# (Cost Explorer and the Cost and Usage Report group by them), and a monthly
# budget alerts by e-mail and SNS before the bill surprises anyone.

# Activation needs the management (payer) account and a tag that has
# already appeared on a billed resource, so it is optional: the first apply
# creates the tagged resources, a later one (with activate_cost_allocation_tags)
# turns the keys on.
resource "aws_ce_cost_allocation_tag" "this" {
  for_each = var.activate_cost_allocation_tags ? toset(keys(local.tags)) : toset([])

  tag_key = each.value
  status  = "Active"
}

resource "aws_sns_topic" "budget" {
  name = "${var.cluster_name}-budget"
}

data "aws_iam_policy_document" "budget_topic" {
  statement {
    sid       = "BudgetsPublish"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.budget.arn]
    principals {
      type        = "Service"
      identifiers = ["budgets.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_sns_topic_policy" "budget" {
  arn    = aws_sns_topic.budget.arn
  policy = data.aws_iam_policy_document.budget_topic.json
}

resource "aws_budgets_budget" "monthly" {
  name         = "${var.cluster_name}-monthly"
  budget_type  = "COST"
  limit_amount = tostring(var.monthly_budget_usd)
  limit_unit   = "USD"
  time_unit    = "MONTHLY"

  # Only this deployment's spend: the project tag is on everything it creates.
  cost_filter {
    name   = "TagKeyValue"
    values = [format("user:project$%s", var.project)]
  }

  dynamic "notification" {
    for_each = var.budget_alert_thresholds
    content {
      comparison_operator        = "GREATER_THAN"
      threshold                  = notification.value.percent
      threshold_type             = "PERCENTAGE"
      notification_type          = notification.value.type
      subscriber_email_addresses = var.budget_alert_emails
      subscriber_sns_topic_arns  = [aws_sns_topic.budget.arn]
    }
  }
}
