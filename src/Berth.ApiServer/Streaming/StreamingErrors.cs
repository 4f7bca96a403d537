using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;

namespace Berth.ApiServer.Streaming;

/// <summary>
/// The errors of the pods/log and pods/exec endpoints, with upstream's messages (kubernetes/kubernetes
/// pkg/registry/core/pod/strategy.go LogLocation/ExecLocation, apiserver proxy upgradeaware.go).
/// </summary>
public static class StreamingErrors
{
    /// <summary>The pseudo-kind named in 422 replies to bad log options (<c>PodLogOptions "x" is invalid: …</c>).</summary>
    private static readonly ResourceKind PodLogOptionsKind = new("", "v1", "PodLogOptions", "pods", "pod", true, [], [], []);

    /// <summary>No <c>container</c> parameter and not exactly one container: the client must choose.</summary>
    public static ApiException ContainerNameRequired(string pod, string choices) =>
        ApiErrors.BadRequest(choices.Length == 0
            ? $"a container name must be specified for pod {pod}"
            : $"a container name must be specified for pod {pod}, choose one of: {choices}");

    public static ApiException ContainerNotValid(string container, string pod) =>
        ApiErrors.BadRequest($"container {container} is not valid for pod {pod}");

    /// <summary>exec/attach into a pod that the scheduler has not bound yet.</summary>
    public static ApiException NoHostAssigned(string pod) =>
        ApiErrors.BadRequest($"pod {pod} does not have a host assigned");

    /// <summary>A plain (non-upgrade) request to an endpoint that streams over an upgraded connection.</summary>
    public static ApiException UpgradeRequired() => ApiErrors.BadRequest("Upgrade request required");

    /// <summary>A SPDY/3.1 upgrade (kubectl 1.29 and older, or the fallback after a refused WebSocket).</summary>
    public static ApiException SpdyNotSupported() => ApiErrors.BadRequest(
        "unable to upgrade connection: SPDY/3.1 is not supported by this server; use a WebSocket client " +
        "(kubectl 1.30 or newer, subprotocol v5.channel.k8s.io)");

    /// <summary>
    /// The node has no running instance of the container (<paramref name="reason"/> is the kubelet's text). Upstream's
    /// kubelet refuses the stream, and the apiserver's stream translator reports that on the client's already upgraded
    /// WebSocket as an internal error: kubectl prints <c>error: Internal error occurred: unable to upgrade connection:
    /// container not found ("x")</c> and exits 1. The backend accepts the session before throwing it.
    /// </summary>
    public static ApiException NodeRefusedStream(string reason) =>
        ApiErrors.Internal($"Internal error occurred: unable to upgrade connection: {reason}");

    public static ApiException UnsupportedSubprotocols(string requested, string supported) =>
        ApiErrors.BadRequest($"requested protocol(s) are not supported: [{requested}]; supports [{supported}]");

    /// <summary>No node agent is reachable for the pod's node (upstream: the dial error to the kubelet).</summary>
    public static ApiException NodeAgentUnavailable(string node) =>
        new(503, StatusReason.ServiceUnavailable, $"no node agent is serving node \"{node}\"");

    public static ApiException InvalidLogOptions(string pod, IReadOnlyList<FieldError> errors) =>
        ApiErrors.Invalid(PodLogOptionsKind, pod, errors);

    /// <summary>A query parameter that does not parse (upstream's parameter codec rejects it with 400).</summary>
    public static ApiException BadParameter(string name, string value, string expected) =>
        ApiErrors.BadRequest($"invalid value \"{value}\" for query parameter \"{name}\": {expected}");
}
