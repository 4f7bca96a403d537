namespace Berth.E2ETests;

/// <summary>Manifests used by the kubectl tests.</summary>
internal static class Manifests
{
    /// <summary>
    /// A pod bound by default to <c>ghost-node</c>, a node with no agent: it stays Pending, and a graceful delete leaves it
    /// Terminating. <paramref name="nodeName"/> null plus a <paramref name="scheduler"/> nobody runs keeps it unscheduled.
    /// </summary>
    public static string Pod(string ns, string name, string? nodeName = "ghost-node", string labels = "app: web", int? grace = null, string? scheduler = null) => $$"""
        apiVersion: v1
        kind: Pod
        metadata:
          name: {{name}}
          namespace: {{ns}}
          labels: {{{labels}}}
        spec:
          {{(nodeName is null ? "" : "nodeName: " + nodeName)}}
          {{(grace is null ? "" : "terminationGracePeriodSeconds: " + grace)}}
          {{(scheduler is null ? "" : "schedulerName: " + scheduler)}}
          containers:
          - name: app
            image: busybox:1.36
            command: ["sleep", "3600"]
            ports:
            - containerPort: 8080
        """;

    public static string ConfigMap(string ns, string name, string value) => $$$"""
        {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{{name}}}","namespace":"{{{ns}}}"},"data":{"k":"{{{value}}}"}}
        """;

    public static string Deployment(string ns, string name, int replicas) => $$"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {{name}}
          namespace: {{ns}}
        spec:
          replicas: {{replicas}}
          selector:
            matchLabels: {app: {{name}}}
          template:
            metadata:
              labels: {app: {{name}}}
            spec:
              containers:
              - name: web
                image: nginx:1.25
                command: ["sleep", "3600"]
        """;
}
