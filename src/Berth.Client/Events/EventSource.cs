namespace Berth.Client.Events;

/// <summary>Who reports events: <c>source.component</c>/<c>reportingComponent</c> (e.g. <c>kubelet</c>) and <c>source.host</c>/<c>reportingInstance</c> (the node).</summary>
/// <remarks>Mirrors k8s.io/api core/v1 EventSource.</remarks>
public sealed record EventSource(string Component, string Host = "");
