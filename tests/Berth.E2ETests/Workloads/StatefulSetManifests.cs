namespace Berth.E2ETests.Workloads;

/// <summary>StatefulSets whose pods are shell loops on the server's node, ready through an exec probe.</summary>
internal static class StatefulSetManifests
{
    /// <summary>A loop that ends at once on SIGTERM.</summary>
    public const string QuickExit = "trap 'exit 0' TERM; while true; do sleep 0.1; done";

    /// <summary>A loop that ignores SIGTERM, so each pod lives out its whole grace period while terminating.</summary>
    public const string IgnoresTerm = "trap '' TERM; while true; do sleep 0.1; done";

    public static string StatefulSet(string ns, string name, int replicas, string script = QuickExit, int gracePeriod = 1,
        string image = "busybox:1.36", string policy = "OrderedReady") => $$$"""
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: {{{name}}}, namespace: {{{ns}}}}
        spec:
          replicas: {{{replicas}}}
          serviceName: {{{name}}}
          podManagementPolicy: {{{policy}}}
          selector: {matchLabels: {app: {{{name}}}}}
          template:
            metadata: {labels: {app: {{{name}}}}}
            spec:
              nodeName: {{{WorkloadManifests.Node}}}
              terminationGracePeriodSeconds: {{{gracePeriod}}}
              containers:
              - name: app
                image: {{{image}}}
                command: ["sh", "-c", "{{{script}}}"]
                readinessProbe:
                  exec: {command: ["true"]}
                  periodSeconds: 1
        """;
}
