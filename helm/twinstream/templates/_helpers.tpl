{{- define "twinstream.name" -}}
{{- .Release.Name | trunc 45 | trimSuffix "-" -}}
{{- end -}}

{{- define "twinstream.labels" -}}
app.kubernetes.io/name: twinstream
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "twinstream.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag }}
{{- end -}}

{{- define "twinstream.kafkaPropertiesFile" -}}
/opt/twinstream/kafka/{{ .Values.kafka.propertiesKey }}
{{- end -}}

{{/* Kafka client settings that are not secret, as pipeline keys */}}
{{- define "twinstream.kafkaSettings" -}}
kafka.bootstrap-servers: {{ .Values.kafka.bootstrapServers | quote }}
kafka.group-id: {{ .Values.kafka.groupId | quote }}
{{- if ne .Values.kafka.securityProtocol "PLAINTEXT" }}
kafka.properties.security.protocol: {{ .Values.kafka.securityProtocol | quote }}
{{- end }}
{{- if .Values.kafka.saslMechanism }}
kafka.properties.sasl.mechanism: {{ .Values.kafka.saslMechanism | quote }}
{{- end }}
{{- if .Values.kafka.credentialsSecret }}
kafka.properties-file: {{ include "twinstream.kafkaPropertiesFile" . | quote }}
{{- end }}
{{- end -}}
