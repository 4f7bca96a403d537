using Berth.ApiServer.Streaming;

namespace Berth.Kubelet.Streaming;

/// <summary>
/// The client streams of one exec. Null streams were not requested: the command gets /dev/null there. With
/// <see cref="Tty"/> the command's stdin/stdout/stderr are one pseudo-terminal, its output goes to
/// <see cref="Stdout"/>, <see cref="Stderr"/> is unused, and end of <see cref="Stdin"/> sends the terminal's EOF
/// character (^D); without a tty, end of stdin closes the command's stdin pipe.
/// </summary>
public sealed record ExecIo(Stream? Stdin, Stream? Stdout, Stream? Stderr, bool Tty, IAsyncEnumerable<TerminalSize>? Resizes);
