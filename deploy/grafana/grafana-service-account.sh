#!/bin/sh
# Gives Alertmanager its way into Grafana: Grafana serves plugin resource
# routes only to a signed-in identity, so Alertmanager sends a service account
# token (Authorization: Bearer) and the app's shared secret
# (X-Aiops-Webhook-Secret) as the second factor. This script signs in as the
# admin, makes the service account "aiops-alertmanager" with the Viewer role
# (a Viewer token passes only together with the secret), mints a token and
# writes both values into $CREDENTIALS_DIR, readable by Alertmanager's user
# only. Then it waits, so that compose sees it healthy until the stack stops.
#
# The same steps by hand, for any Grafana:
#   Administration > Users and access > Service accounts > Add service account
#   (role Viewer), then Add service account token; put the token in the
#   contact point's authorization credentials.
set -eu
# Stopping the stack is a clean exit, also while the sleep below runs (it is
# killed with the shell).
trap 'kill ${!:-} 2>/dev/null; exit 0' TERM INT

: "${GRAFANA_URL:?}" "${GRAFANA_ADMIN_USER:?}" "${GRAFANA_ADMIN_PASSWORD:?}"
: "${AIOPS_WEBHOOK_SECRET:?}" "${CREDENTIALS_DIR:?}"
account=aiops-alertmanager
alertmanager_uid=65534 # prom/alertmanager runs as nobody

api() {
	curl -fsS --retry 10 --retry-delay 3 --retry-all-errors \
		-u "$GRAFANA_ADMIN_USER:$GRAFANA_ADMIN_PASSWORD" \
		-H 'Content-Type: application/json' "$@"
}

# The first "id" of the search answer is the account's; a restart reuses it.
id=$(api "$GRAFANA_URL/api/serviceaccounts/search?query=$account" |
	sed -n 's/.*"serviceAccounts":\[{"id":\([0-9][0-9]*\).*/\1/p')
if [ -z "$id" ]; then
	id=$(api -X POST "$GRAFANA_URL/api/serviceaccounts" \
		-d "{\"name\":\"$account\",\"role\":\"Viewer\",\"isDisabled\":false}" |
		sed -n 's/^{"id":\([0-9][0-9]*\).*/\1/p')
fi
[ -n "$id" ] || { echo "could not find or create the service account $account" >&2; exit 1; }

token=$(api -X POST "$GRAFANA_URL/api/serviceaccounts/$id/tokens" \
	-d "{\"name\":\"alertmanager-$(date +%s)\"}" |
	sed -n 's/.*"key":"\([^"]*\)".*/\1/p')
[ -n "$token" ] || { echo "Grafana returned no token for $account" >&2; exit 1; }

umask 077
printf '%s' "$AIOPS_WEBHOOK_SECRET" >"$CREDENTIALS_DIR/webhook-secret"
printf '%s' "$token" >"$CREDENTIALS_DIR/grafana-token.tmp"
mv "$CREDENTIALS_DIR/grafana-token.tmp" "$CREDENTIALS_DIR/grafana-token"
chown "$alertmanager_uid" "$CREDENTIALS_DIR/webhook-secret" "$CREDENTIALS_DIR/grafana-token"
echo "service account $account (id $id): token written for Alertmanager"

while :; do sleep 3600 & wait $!; done
