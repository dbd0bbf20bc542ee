# Grafana with this plugin, built from a clean checkout:
#   docker build -t cloudobs-aiops-grafana .
# The plugin is unzipped from the same archive `make package` writes, so the
# image runs exactly what would be published. GRAFANA_VERSION must satisfy
# plugin.json's dependencies.grafanaDependency.
ARG GRAFANA_VERSION=12.4.0

# Frontend: the npm steps of `make frontend` (scripts/frontend-test.sh).
FROM node:22.21.1-bookworm AS frontend
WORKDIR /src
COPY package.json package-lock.json .nvmrc ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run typecheck && npm run build

# Backend and archives: `make backend`'s mage, then mage's package target (the
# second half of `make package`), which builds every platform, writes one
# archive per platform and checks each against the validator's offline rules.
FROM golang:1.26.8-bookworm AS package
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
COPY --from=frontend /src/dist ./dist
RUN make backend && go run github.com/magefile/mage -v package

# The image's own platform's archive; BuildKit sets TARGETARCH (amd64 or
# arm64), the legacy builder leaves it empty.
FROM alpine:3.22 AS unpack
ARG TARGETARCH
COPY --from=package /src/build/ /build/
RUN mkdir /plugins && unzip -q /build/cloudobs-aiops-app-*.linux_${TARGETARCH:-amd64}.zip -d /plugins

FROM grafana/grafana:${GRAFANA_VERSION}
COPY --from=unpack --chown=grafana:root /plugins/ /var/lib/grafana/plugins/
