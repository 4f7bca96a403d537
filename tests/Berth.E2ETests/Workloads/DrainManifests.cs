namespace Berth.E2ETests.Workloads;

/// <summary>
/// The drain scenario's objects: a Deployment of shell loops that are ready through an exec probe and, on SIGTERM,
/// write "TERM" to <c>{markerDir}/{pod name}</c> before exiting (the proof of a graceful stop), and a budget for it.
/// </summary>
internal static class DrainManifests
{
    public static string Deployment(string ns, string name, int replicas, string markerDir) => $$$"""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: {{{name}}}, namespace: {{{ns}}}}
        spec:
          replicas: {{{replicas}}}
          selector: {matchLabels: {app: {{{name}}}}}
          template:
            metadata: {labels: {app: {{{name}}}}}
            spec:
              terminationGracePeriodSeconds: 3
              containers:
              - name: app
                image: busybox:1.36
                command: ["sh", "-c", "trap 'echo TERM > {{{markerDir}}}/$(POD_NAME); exit 0' TERM; while true; do sleep 0.1; done"]
                env:
                - name: POD_NAME
                  valueFrom: {fieldRef: {fieldPath: metadata.name}}
                readinessProbe:
                  exec: {command: ["true"]}
                  periodSeconds: 1
        """;

    /// <summary>A policy/v1 budget over <c>app=<paramref name="app"/></c>; <paramref name="rule"/> is e.g. <c>minAvailable: 1</c>.</summary>
    public static string Budget(string ns, string name, string app, string rule) => $$$"""
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: {name: {{{name}}}, namespace: {{{ns}}}}
        spec:
          {{{rule}}}
          selector: {matchLabels: {app: {{{app}}}}}
        """;

    /// <summary>An Eviction body as kubectl drain posts it.</summary>
    public static string Eviction(string ns, string pod) =>
        $$$"""{"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"{{{pod}}}","namespace":"{{{ns}}}"}}""";
}
