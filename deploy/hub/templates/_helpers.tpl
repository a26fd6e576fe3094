{{/* Chart name, shortened to the 63 characters a label value allows. */}}
{{- define "rampart-hub.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name of the release's objects. */}}
{{- define "rampart-hub.fullname" -}}
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

{{- define "rampart-hub.labels" -}}
{{ include "rampart-hub.commonLabels" . }}
{{ include "rampart-hub.selectorLabels" . }}
{{- end }}

{{/* Labels of every object, without the component. */}}
{{- define "rampart-hub.commonLabels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: rampart-federation
{{- end }}

{{- define "rampart-hub.zookeeperSelectorLabels" -}}
app.kubernetes.io/name: {{ include "rampart-hub.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: zookeeper
{{- end }}

{{- define "rampart-hub.selectorLabels" -}}
app.kubernetes.io/name: {{ include "rampart-hub.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: hub
{{- end }}

{{- define "rampart-hub.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "rampart-hub.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false: name an existing ServiceAccount" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "rampart-hub.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/* Name of the in-chart ZooKeeper ensemble and its headless Service. */}}
{{- define "rampart-hub.zookeeperName" -}}
{{- printf "%s-zookeeper" (include "rampart-hub.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* ZooKeeper connect string: the given one, or the in-chart ensemble's servers. */}}
{{- define "rampart-hub.zookeeperConnect" -}}
{{- if and .Values.zookeeper.install (not .Values.zookeeper.connect) }}
{{- $name := include "rampart-hub.zookeeperName" . }}
{{- $servers := list }}
{{- range $i := until (int .Values.zookeeper.replicas) }}
{{- $servers = append $servers (printf "%s-%d.%s.%s.svc:%d" $name $i $name $.Release.Namespace (int $.Values.zookeeper.clientPort)) }}
{{- end }}
{{- join "," $servers }}
{{- else }}
{{- .Values.zookeeper.connect }}
{{- end }}
{{- end }}

{{/* host:port that agents dial. */}}
{{- define "rampart-hub.advertiseAddress" -}}
{{- if .Values.agentEndpoint.advertiseAddress }}
{{- .Values.agentEndpoint.advertiseAddress }}
{{- else }}
{{- printf "%s.%s.svc:%d" (include "rampart-hub.fullname" .) .Release.Namespace (int .Values.agentEndpoint.service.port) }}
{{- end }}
{{- end }}
