namespace Berth.E2ETests.Workloads;

/// <summary>Deployments whose pods are shell loops on the server's node, ready through an exec probe, ending at once on SIGTERM.</summary>
internal static class WorkloadManifests
{
    public static readonly string Node = Environment.MachineName.ToLowerInvariant();

    public static string Deployment(string ns, string name, int replicas, string image = "busybox:1.36", string strategy = "") => $$$"""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: {{{name}}}, namespace: {{{ns}}}}
        spec:
          replicas: {{{replicas}}}
          selector: {matchLabels: {app: {{{name}}}}}
          {{{(strategy.Length > 0 ? strategy : "strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}")}}}
          template:
            metadata: {labels: {app: {{{name}}}}}
            spec:
              nodeName: {{{Node}}}
              terminationGracePeriodSeconds: 2
              containers:
              - name: app
                image: {{{image}}}
                command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 0.1; done"]
                readinessProbe:
                  exec: {command: ["true"]}
                  periodSeconds: 1
        """;
}
