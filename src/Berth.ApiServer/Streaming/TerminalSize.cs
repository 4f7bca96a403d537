namespace Berth.ApiServer.Streaming;

/// <summary>
/// A terminal size sent by the client on the resize channel (<c>{"Width":80,"Height":24}</c>), in character cells.
/// Mirrors k8s.io/client-go tools/remotecommand (TerminalSize).
/// </summary>
public readonly record struct TerminalSize(ushort Width, ushort Height);
