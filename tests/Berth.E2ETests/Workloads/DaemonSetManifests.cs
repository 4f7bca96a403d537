namespace Berth.E2ETests.Workloads;

/// <summary>A DaemonSet of shell loops that end at once on SIGTERM, placed on nodes labelled <see cref="NodeLabel"/>=yes.</summary>
internal static class DaemonSetManifests
{
    public const string NodeLabel = "berth.dev/daemon";

    public static string DaemonSet(string ns, string name, string image = "busybox:1.36") => $$$"""
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: {{{name}}}, namespace: {{{ns}}}}
        spec:
          selector: {matchLabels: {app: {{{name}}}}}
          updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 1}}
          template:
            metadata: {labels: {app: {{{name}}}}}
            spec:
              nodeSelector:
                {{{NodeLabel}}}: "yes"
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
