{{/* Chart name, truncated to the 63 characters of a label value. */}}
{{- define "pi-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Object names: the release name, or release-chart when the release name does not contain the chart's. */}}
{{- define "pi-operator.fullname" -}}
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

{{/* Cluster-scoped objects are shared by every namespace: prefix them with the release namespace. */}}
{{- define "pi-operator.clusterName" -}}
{{- printf "%s-%s" .Release.Namespace (include "pi-operator.fullname" .) | trunc 253 | trimSuffix "-" }}
{{- end }}

{{- define "pi-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "pi-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "pi-operator.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "pi-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: pi-operator
{{- end }}

{{- define "pi-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "pi-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "pi-operator.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/* "true" or "false": leader election is on when asked, or (auto) when more than one replica runs. */}}
{{/* A duration with one unit (15s, 500ms, 1m, 1h; the schema allows no other) in milliseconds. */}}
{{- define "pi-operator.millis" -}}
{{- $n := regexFind "^[0-9]+" . | int64 }}
{{- $unit := regexFind "[a-z]+$" . }}
{{- if eq $unit "ms" }}{{ $n }}
{{- else if eq $unit "s" }}{{ mul $n 1000 }}
{{- else if eq $unit "m" }}{{ mul $n 60000 }}
{{- else }}{{ mul $n 3600000 }}
{{- end }}
{{- end }}

{{- define "pi-operator.leaderElection" -}}
{{- $le := .Values.leaderElection.enabled }}
{{- if eq (toString $le) "auto" }}
{{- gt (int .Values.replicaCount) 1 | toString }}
{{- else }}
{{- $le | toString }}
{{- end }}
{{- end }}

{{/*
RBAC rules in every watched namespace. Exactly what the operator uses, nothing more: the test
RbacCompletenessTest derives the operator's needs from its code (informers, dependents and their
JOSDK traits, @ApiAccess declarations) and fails on any difference, in either direction.
*/}}
{{- define "pi-operator.watchedRules" -}}
- apiGroups: ["pistack.io"]
  resources: ["pistacks"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["pistack.io"]
  resources: ["pistacks/status"]
  verbs: ["patch"]
{{- /* PiBackups: watched, and their status written; created for each backup Job of a stack's own (CronJob run,
       pre-upgrade backup) and those recorded ones deleted by spec.backup.keep; the user's own are never changed or
       deleted. */}}
- apiGroups: ["pistack.io"]
  resources: ["pibackups"]
  verbs: ["get", "list", "watch", "create", "delete"]
- apiGroups: ["pistack.io"]
  resources: ["pibackups/status"]
  verbs: ["patch"]
- apiGroups: ["apps"]
  resources: ["deployments", "statefulsets"]
  verbs: ["get", "list", "watch", "create", "patch", "delete"]
- apiGroups: [""]
  resources: ["services"]
  verbs: ["get", "list", "watch", "create", "patch", "delete"]
- apiGroups: ["autoscaling"]
  resources: ["horizontalpodautoscalers"]
  verbs: ["get", "list", "watch", "create", "patch", "delete"]
- apiGroups: ["policy"]
  resources: ["poddisruptionbudgets"]
  verbs: ["get", "list", "watch", "create", "patch", "delete"]
- apiGroups: ["networking.k8s.io"]
  resources: ["ingresses", "networkpolicies"]
  verbs: ["get", "list", "watch", "create", "patch", "delete"]
{{- /* The dashboard's HTTPRoute (spec.httpRoute) and, when the dashboard serves HTTPS, its BackendTLSPolicy.
       Each used only when the cluster serves the kind when the operator starts; granting them on a cluster
       without the CRDs is harmless. */}}
- apiGroups: ["gateway.networking.k8s.io"]
  resources: ["httproutes", "backendtlspolicies"]
  verbs: ["get", "list", "watch", "create", "patch", "delete"]
{{- /* Backups: the scripts ConfigMap (CRUD; JOSDK does not use SSA for ConfigMaps: update, not patch) and the
       CronJob (CRUD); the pre-upgrade and restore Jobs (created, deleted when done, never updated; the informer
       also sees the CronJob's runs). */}}
- apiGroups: [""]
  resources: ["configmaps"]
  verbs: ["get", "list", "watch", "create", "update", "delete"]
- apiGroups: ["batch"]
  resources: ["cronjobs", "jobs"]
  verbs: ["get", "list", "watch", "create", "patch", "delete"]
{{- /* The shared and backup PVCs are created and grown, never deleted by the operator. */}}
- apiGroups: [""]
  resources: ["persistentvolumeclaims"]
  verbs: ["get", "list", "watch", "create", "patch"]
{{- /* Secrets: the watch of the watched namespaces' Secrets (metadata and per-key digests kept, never a value: a
       rotated Secret rolls its pods, no reconcile GETs one) and the generated DB credentials (created once; their
       owner reference follows storage.deleteWithStack by a patch). No update, no delete. */}}
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get", "list", "watch", "create", "patch"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create"]
{{- /* The stack's pods (label-selected informer): crash loops, image pull errors, OOM kills. */}}
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["get", "list", "watch"]
{{- end }}
