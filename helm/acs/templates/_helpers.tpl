{{/* Names and labels, following the conventions of `helm create`. */}}

{{- define "acs.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "acs.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "acs.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "acs.selectorLabels" -}}
app.kubernetes.io/name: {{ include "acs.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "acs.labels" -}}
helm.sh/chart: {{ include "acs.chart" . }}
{{ include "acs.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: acs
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* Labels of one component; call with (dict "ctx" $ "component" "cwmp"). */}}
{{- define "acs.componentLabels" -}}
{{ include "acs.labels" .ctx }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "acs.componentSelectorLabels" -}}
{{ include "acs.selectorLabels" .ctx }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "acs.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "acs.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "acs.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{- define "acs.secretName" -}}
{{- default (include "acs.fullname" .) .Values.secrets.existingSecret }}
{{- end }}

{{/* The fs base URL devices are given. */}}
{{- define "acs.publicFsUrl" -}}
{{- if .Values.acs.publicFsUrl }}
{{- .Values.acs.publicFsUrl }}
{{- else if .Values.fs.ingress.enabled }}
{{- printf "%s://%s" (ternary "https" "http" (ne .Values.fs.ingress.tlsSecretName "")) .Values.fs.ingress.host }}
{{- else }}
{{- printf "http://%s-fs:%d" (include "acs.fullname" .) (int .Values.fs.service.port) }}
{{- end }}
{{- end }}

{{/* Non-secret settings as a map of environment variables (ConfigMap and migration Job). */}}
{{- define "acs.settings" -}}
LOG_LEVEL: {{ .Values.acs.logLevel | quote }}
ACS_CWMP_AUTH: {{ .Values.acs.cwmpAuth | quote }}
ACS_PUBLIC_FS_URL: {{ include "acs.publicFsUrl" . | quote }}
ACS_CWMP_PORT: {{ .Values.cwmp.port | quote }}
ACS_API_PORT: {{ .Values.api.port | quote }}
ACS_FS_PORT: {{ .Values.fs.port | quote }}
ACS_WORKER_PORT: {{ .Values.worker.port | quote }}
ACS_METRICS_PORT: {{ .Values.metrics.port | quote }}
ACS_CR_BLOCKED_NETWORKS: {{ .Values.worker.connectionRequestBlockedNetworks | quote }}
{{- if .Values.mongodb.enabled }}
MONGODB_URL: {{ printf "mongodb://%s-mongodb:27017/acs" (include "acs.fullname" .) | quote }}
{{- end }}
{{- if .Values.redis.enabled }}
REDIS_URL: {{ printf "redis://%s-redis:6379" (include "acs.fullname" .) | quote }}
{{- end }}
{{- range $name, $value := .Values.acs.extraEnv }}
{{ $name }}: {{ $value | toString | quote }}
{{- end }}
{{- end }}

{{/* Secret values as a map of environment variables; the bundled stores' URLs are settings. */}}
{{- define "acs.secretEnv" -}}
{{- if not .Values.mongodb.enabled }}
MONGODB_URL: {{ required "externalMongodb.url is required unless mongodb.enabled or secrets.existingSecret is set" .Values.externalMongodb.url | quote }}
{{- end }}
{{- if not .Values.redis.enabled }}
REDIS_URL: {{ required "externalRedis.url is required unless redis.enabled or secrets.existingSecret is set" .Values.externalRedis.url | quote }}
{{- end }}
{{- with .Values.secrets.acsSecret }}
ACS_SECRET: {{ . | quote }}
{{- end }}
{{- if ne (empty .Values.secrets.cwmpUsername) (empty .Values.secrets.cwmpPassword) }}
{{- fail "secrets.cwmpUsername and secrets.cwmpPassword go together: set both or neither" }}
{{- end }}
{{- if .Values.secrets.cwmpUsername }}
ACS_CWMP_USERNAME: {{ .Values.secrets.cwmpUsername | quote }}
ACS_CWMP_PASSWORD: {{ .Values.secrets.cwmpPassword | quote }}
{{- end }}
{{- end }}

{{/* Environment of every ACS container: settings, then credentials. */}}
{{- define "acs.envFrom" -}}
- configMapRef:
    name: {{ include "acs.fullname" . }}
- secretRef:
    name: {{ include "acs.secretName" . }}
{{- end }}

{{/* The stores' CA (storesCa), trusted by Node for MongoDB and Redis TLS in every ACS container; include only when storesCa.secretName is set. */}}
{{- define "acs.storesCaEnv" -}}
- name: NODE_EXTRA_CA_CERTS
  value: /etc/acs/stores-ca/{{ .Values.storesCa.key }}
{{- end }}

{{- define "acs.storesCaMount" -}}
- name: stores-ca
  mountPath: /etc/acs/stores-ca
  readOnly: true
{{- end }}

{{- define "acs.storesCaVolume" -}}
- name: stores-ca
  secret:
    secretName: {{ .Values.storesCa.secretName }}
    items:
      - key: {{ .Values.storesCa.key }}
        path: {{ .Values.storesCa.key }}
{{- end }}
