# Grafana with this plugin built from source:
#   docker build -t cloudobs-aiops-grafana .
FROM node:22-bookworm AS frontend
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM golang:1.26 AS backend
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
COPY --from=frontend /src/dist ./dist
RUN go run github.com/magefile/mage -v build:linux

FROM grafana/grafana:12.4.0
COPY --from=backend --chown=grafana:root /src/dist /var/lib/grafana/plugins/cloudobs-aiops-app
