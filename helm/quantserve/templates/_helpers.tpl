{{/* Chart name, at most 63 characters. */}}
{{- define "quantserve.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Release full name, at most 63 characters (the api/worker suffixes are added to a 56-character prefix). */}}
{{- define "quantserve.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 56 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 56 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 56 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "quantserve.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels of every object. */}}
{{- define "quantserve.labels" -}}
helm.sh/chart: {{ include "quantserve.chart" . }}
app.kubernetes.io/name: {{ include "quantserve.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Selector labels of one component; call with (dict "root" $ "component" "api"). */}}
{{- define "quantserve.selectorLabels" -}}
app.kubernetes.io/name: {{ include "quantserve.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "quantserve.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "quantserve.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "quantserve.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/*
The pod template shared by the api and worker Deployments; call with
(dict "root" $ "component" "api" "role" "api" "settings" .Values.api).
*/}}
{{- define "quantserve.podTemplate" -}}
{{- $root := .root }}
{{- $values := $root.Values }}
metadata:
  labels:
    {{- include "quantserve.labels" $root | nindent 4 }}
    app.kubernetes.io/component: {{ .component }}
  annotations:
    checksum/config: {{ include (print $root.Template.BasePath "/configmap.yaml") $root | sha256sum }}
    {{- if $values.metrics.enabled }}
    prometheus.io/scrape: "true"
    prometheus.io/path: {{ $values.metrics.path | quote }}
    prometheus.io/port: {{ $values.management.port | quote }}
    {{- end }}
    {{- with .settings.podAnnotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  serviceAccountName: {{ include "quantserve.serviceAccountName" $root }}
  automountServiceAccountToken: false
  {{- with $values.imagePullSecrets }}
  imagePullSecrets:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  terminationGracePeriodSeconds: {{ .settings.terminationGracePeriodSeconds }}
  securityContext:
    {{- toYaml $values.podSecurityContext | nindent 4 }}
  containers:
    - name: quantserve
      image: {{ include "quantserve.image" $root | quote }}
      imagePullPolicy: {{ $values.image.pullPolicy }}
      args: ["serve"]
      securityContext:
        {{- toYaml $values.securityContext | nindent 8 }}
      ports:
        - name: http
          containerPort: 8080
          protocol: TCP
        - name: management
          containerPort: {{ $values.management.port }}
          protocol: TCP
      envFrom:
        - configMapRef:
            name: {{ include "quantserve.fullname" $root }}
      env:
        - name: QUANTSERVE_ROLE
          value: {{ .role | quote }}
        {{- if eq .role "worker" }}
        - name: QUANTSERVE_WORKER_THREADS
          value: {{ .settings.threads | quote }}
        {{- end }}
        - name: SPRING_DATASOURCE_PASSWORD
          valueFrom:
            secretKeyRef:
              name: {{ required "database.existingSecret is required" $values.database.existingSecret | quote }}
              key: {{ $values.database.passwordKey | quote }}
        - name: QUANTSERVE_STORAGE_S3_ACCESS_KEY
          valueFrom:
            secretKeyRef:
              name: {{ required "s3.existingSecret is required" $values.s3.existingSecret | quote }}
              key: {{ $values.s3.accessKeyKey | quote }}
        - name: QUANTSERVE_STORAGE_S3_SECRET_KEY
          valueFrom:
            secretKeyRef:
              name: {{ $values.s3.existingSecret | quote }}
              key: {{ $values.s3.secretKeyKey | quote }}
        {{- if $values.security.existingSecret }}
        - name: QUANTSERVE_SECURITY_ADMIN_KEY
          valueFrom:
            secretKeyRef:
              name: {{ $values.security.existingSecret | quote }}
              key: {{ $values.security.adminKeyKey | quote }}
        {{- end }}
      startupProbe:
        httpGet:
          path: /actuator/health/liveness
          port: management
        periodSeconds: {{ $values.probes.startup.periodSeconds }}
        failureThreshold: {{ $values.probes.startup.failureThreshold }}
      livenessProbe:
        httpGet:
          path: /actuator/health/liveness
          port: management
        periodSeconds: {{ $values.probes.liveness.periodSeconds }}
        timeoutSeconds: {{ $values.probes.liveness.timeoutSeconds }}
        failureThreshold: {{ $values.probes.liveness.failureThreshold }}
      readinessProbe:
        httpGet:
          path: /actuator/health/readiness
          port: management
        periodSeconds: {{ $values.probes.readiness.periodSeconds }}
        timeoutSeconds: {{ $values.probes.readiness.timeoutSeconds }}
        failureThreshold: {{ $values.probes.readiness.failureThreshold }}
      resources:
        {{- toYaml .settings.resources | nindent 8 }}
      volumeMounts:
        - name: tmp
          mountPath: /tmp
        - name: work
          mountPath: /var/lib/quantserve
  volumes:
    - name: tmp
      emptyDir:
        sizeLimit: {{ .settings.tmp.sizeLimit }}
    - name: work
      emptyDir:
        sizeLimit: {{ .settings.scratch.sizeLimit }}
  {{- with .settings.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .settings.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .settings.affinity }}
  affinity:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end }}
