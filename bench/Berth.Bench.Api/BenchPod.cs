using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace Berth.Bench.Api;

/// <summary>
/// A realistic small pod (~1 KB of JSON: labels, one container with command, args, env, ports, resources and a probe).
/// <c>spec.nodeName</c> names a node that does not exist, so no scheduler or kubelet acts on the thousands of pods
/// the bench creates. <c>automountServiceAccountToken: false</c> keeps ServiceAccount admission from adding its
/// token volume: the update suite PUTs this body again, and a PUT without an admission-added volume is refused
/// (pod spec fields are immutable), on a cluster too. The annotation <see cref="SequenceAnnotation"/> carries a per-write sequence number so a
/// watcher can match each event to the write that caused it, and so every update really changes the object.
/// </summary>
internal static class BenchPod
{
    public const string SequenceAnnotation = "bench.berth.dev/seq";

    /// <summary>The bytes a watcher searches for; the sequence number follows them.</summary>
    public const string SequenceMarker = $"\"{SequenceAnnotation}\":\"";

    private static readonly MediaTypeHeaderValue Json = new("application/json");

    public static string Name(int i) => "bench-" + i.ToString("D5", CultureInfo.InvariantCulture);

    public static HttpContent Content(string ns, int i, long sequence) =>
        new ByteArrayContent(Encoding.UTF8.GetBytes(Body(ns, i, sequence))) { Headers = { ContentType = Json } };

    public static string Body(string ns, int i, long sequence) => $$$"""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"{{{Name(i)}}}","namespace":"{{{ns}}}",
        "labels":{"app":"web","tier":"frontend","pod-template-hash":"7d9f8c6b5","bench.berth.dev/index":"{{{i}}}"},
        "annotations":{"{{{SequenceAnnotation}}}":"{{{sequence}}}"}},
        "spec":{"nodeName":"bench-absent-node","automountServiceAccountToken":false,"restartPolicy":"Always","terminationGracePeriodSeconds":30,
        "containers":[{"name":"web","image":"registry.example/web:1.4.2","command":["/bin/web-server"],
        "args":["--port=8080","--metrics-port=9090","--log-level=info"],
        "env":[{"name":"POD_INDEX","value":"{{{i}}}"},{"name":"MODE","value":"production"},{"name":"CACHE_SIZE","value":"256"}],
        "ports":[{"name":"http","containerPort":8080,"protocol":"TCP"},{"name":"metrics","containerPort":9090,"protocol":"TCP"}],
        "resources":{"requests":{"cpu":"100m","memory":"64Mi"},"limits":{"cpu":"500m","memory":"128Mi"}},
        "readinessProbe":{"httpGet":{"path":"/healthz","port":8080},"periodSeconds":10}}]}}
        """;
}
