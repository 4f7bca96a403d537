namespace Berth.E2ETests.Workloads;

/// <summary>Jobs and CronJobs whose pods are short <c>sh -c</c> commands on the server's node.</summary>
internal static class JobManifests
{
    /// <summary>A Job running <paramref name="script"/>; <paramref name="extraSpec"/> lines are added to the Job spec.</summary>
    public static string Job(string ns, string name, string script, int completions = 1, int parallelism = 1, int backoffLimit = 6,
        string restartPolicy = "Never", string extraSpec = "") => $$$"""
        apiVersion: batch/v1
        kind: Job
        metadata: {name: {{{name}}}, namespace: {{{ns}}}}
        spec:
          completions: {{{completions}}}
          parallelism: {{{parallelism}}}
          backoffLimit: {{{backoffLimit}}}
          {{{extraSpec}}}
          template:
            spec:
              nodeName: {{{WorkloadManifests.Node}}}
              restartPolicy: {{{restartPolicy}}}
              terminationGracePeriodSeconds: 1
              containers:
              - name: work
                image: busybox:1.36
                command: ["sh", "-c", "{{{script}}}"]
        """;

    public static string CronJob(string ns, string name, string schedule) => $$$"""
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: {{{name}}}, namespace: {{{ns}}}}
        spec:
          schedule: "{{{schedule}}}"
          concurrencyPolicy: Forbid
          jobTemplate:
            spec:
              template:
                spec:
                  nodeName: {{{WorkloadManifests.Node}}}
                  restartPolicy: Never
                  containers:
                  - name: work
                    image: busybox:1.36
                    command: ["sh", "-c", "echo tick"]
        """;
}
