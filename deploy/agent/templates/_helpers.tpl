{{/* Chart name, shortened to the 63 characters a label value allows. */}}
{{- define "rampart-agent.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name of the release's objects. */}}
{{- define "rampart-agent.fullname" -}}
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

{{- define "rampart-agent.labels" -}}
{{ include "rampart-agent.commonLabels" . }}
{{ include "rampart-agent.selectorLabels" . }}
{{- end }}

{{/* Labels of every object, without the component. */}}
{{- define "rampart-agent.commonLabels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: rampart-federation
{{- end }}


{{- define "rampart-agent.selectorLabels" -}}
app.kubernetes.io/name: {{ include "rampart-agent.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: agent
{{- end }}

{{- define "rampart-agent.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "rampart-agent.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false: name an existing ServiceAccount" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "rampart-agent.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/* Name of the Secret that holds the bootstrap token. */}}
{{- define "rampart-agent.tokenSecretName" -}}
{{- if .Values.join.existingSecret }}
{{- .Values.join.existingSecret }}
{{- else }}
{{- printf "%s-join" (include "rampart-agent.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
