{{/* Chart name, overridable. */}}
{{- define "tollgate.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Full name used for every resource. Kubernetes names are limited to 63 characters; component suffixes
("-gateway", "-migration") are added by the templates, so the base is cut to 50.
*/}}
{{- define "tollgate.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 50 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 50 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 50 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "tollgate.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "tollgate.labels" -}}
helm.sh/chart: {{ include "tollgate.chart" . }}
app.kubernetes.io/name: {{ include "tollgate.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Selector labels of one component. Call with (dict "ctx" $ "component" "gateway"). */}}
{{- define "tollgate.selectorLabels" -}}
app.kubernetes.io/name: {{ include "tollgate.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "tollgate.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "tollgate.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "tollgate.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{- define "tollgate.configMapName" -}}
{{- default (printf "%s-config" (include "tollgate.fullname" .)) .Values.existingConfigMap }}
{{- end }}

{{/* The Secret this chart creates for values given inline (masterKey.value, database.url, redis.url). */}}
{{- define "tollgate.secretName" -}}
{{- include "tollgate.fullname" . }}
{{- end }}

{{/* True (non-empty) when at least one secret value is given inline, so the chart must create its Secret. */}}
{{- define "tollgate.needsSecret" -}}
{{- if or (and .Values.masterKey.value (not .Values.masterKey.existingSecret)) (and .Values.database.url (not .Values.database.existingSecret)) (and .Values.redis.url (not .Values.redis.existingSecret)) }}true{{ end }}
{{- end }}

{{/* Stops the render with a clear message when a required setting is missing. */}}
{{- define "tollgate.validate" -}}
{{- if not (or .Values.masterKey.value .Values.masterKey.existingSecret) }}
{{- fail "Set masterKey.value (must start with sk-) or masterKey.existingSecret." }}
{{- end }}
{{- if and .Values.masterKey.value (not (hasPrefix "sk-" .Values.masterKey.value)) }}
{{- fail "masterKey.value must start with sk-." }}
{{- end }}
{{- if not (or .Values.database.url .Values.database.existingSecret) }}
{{- fail "Set database.url or database.existingSecret: the chart needs an external PostgreSQL." }}
{{- end }}
{{- if not (or .Values.redis.url .Values.redis.existingSecret) }}
{{- fail "Set redis.url or redis.existingSecret: replicas share limits and the spend queue through Redis." }}
{{- end }}
{{- end }}

{{/*
An env entry read from a Secret key. Call with
(dict "name" "DATABASE_URL" "existingSecret" ... "existingSecretKey" ... "chartSecret" ... "chartSecretKey" ...).
*/}}
{{- define "tollgate.secretEnv" -}}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
{{- if .existingSecret }}
      name: {{ .existingSecret }}
      key: {{ .existingSecretKey }}
{{- else }}
      name: {{ .chartSecret }}
      key: {{ .chartSecretKey }}
{{- end }}
{{- end }}

{{/* Environment shared by the gateway and the worker. */}}
{{- define "tollgate.env" -}}
{{- $secret := include "tollgate.secretName" . }}
{{- include "tollgate.secretEnv" (dict "name" "TOLLGATE_MASTER_KEY" "existingSecret" .Values.masterKey.existingSecret "existingSecretKey" .Values.masterKey.existingSecretKey "chartSecret" $secret "chartSecretKey" "master-key") }}
{{ include "tollgate.secretEnv" (dict "name" "DATABASE_URL" "existingSecret" .Values.database.existingSecret "existingSecretKey" .Values.database.existingSecretKey "chartSecret" $secret "chartSecretKey" "database-url") }}
{{ include "tollgate.secretEnv" (dict "name" "REDIS_URL" "existingSecret" .Values.redis.existingSecret "existingSecretKey" .Values.redis.existingSecretKey "chartSecret" $secret "chartSecretKey" "redis-url") }}
- name: PORT
  value: {{ .Values.gateway.port | quote }}
- name: TOLLGATE_DATA_DIR
  value: /var/lib/tollgate
{{- with .Values.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* Pod-level settings shared by every Tollgate pod. */}}
{{- define "tollgate.podCommon" -}}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- with .Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.topologySpreadConstraints }}
topologySpreadConstraints:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/* Checksums that roll the pods when the rendered config or the chart's Secret changes. */}}
{{- define "tollgate.checksums" -}}
checksum/config: {{ include (print .Template.BasePath "/configmap.yaml") . | sha256sum }}
checksum/secret: {{ include (print .Template.BasePath "/secret.yaml") . | sha256sum }}
{{- end }}

{{/* Non-empty when a value is given: 0 counts as given, null and "" do not. */}}
{{- define "tollgate.isSet" -}}
{{- /* Nested ifs rather than and/or: Go templates before 1.18 evaluate every operand, and eq fails on a number. */}}
{{- if kindIs "string" . }}
{{- if ne . "" }}true{{ end }}
{{- else if not (kindIs "invalid" .) }}true
{{- end }}
{{- end }}
