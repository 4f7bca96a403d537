using System.Text;

namespace Berth.Kubelet.KubeRuntime.Env;

/// <summary>
/// Kubernetes' <c>$(VAR)</c> expansion for command, args and env values: <c>$(NAME)</c> becomes the variable's value
/// when defined and stays as written when not; <c>$$</c> is an escaped <c>$</c> (so <c>$$(X)</c> yields the literal
/// <c>$(X)</c>); a <c>$</c> before anything else, and an unterminated <c>$(</c>, are kept as-is.
/// Mirrors kubernetes/kubernetes third_party/forked/golang/expansion/expand.go.
/// </summary>
public static class Expansion
{
    public static string Expand(string input, Func<string, string?> lookup)
    {
        var builder = new StringBuilder(input.Length);
        var checkpoint = 0;
        for (var cursor = 0; cursor < input.Length; cursor++)
        {
            if (input[cursor] != '$' || cursor + 1 >= input.Length)
            {
                continue;
            }

            builder.Append(input, checkpoint, cursor - checkpoint);
            var (read, isVariable, advance) = TryReadVariableName(input.AsSpan(cursor + 1));
            builder.Append(isVariable ? lookup(read) ?? "$(" + read + ")" : read);
            cursor += advance;
            checkpoint = cursor + 1;
        }

        return builder.Append(input, checkpoint, input.Length - checkpoint).ToString();
    }

    /// <summary>A lookup over several maps, the first holding the name wins (MappingFuncFor).</summary>
    public static Func<string, string?> MappingFor(params IReadOnlyDictionary<string, string>[] contexts) => name =>
    {
        foreach (var context in contexts)
        {
            if (context.TryGetValue(name, out var value))
            {
                return value;
            }
        }

        return null;
    };

    private static (string Read, bool IsVariable, int Advance) TryReadVariableName(ReadOnlySpan<char> input)
    {
        switch (input[0])
        {
            case '$':
                return ("$", false, 1);
            case '(':
                var close = input[1..].IndexOf(')');
                return close >= 0 ? (input.Slice(1, close).ToString(), true, close + 2) : ("$(", false, 1);
            default:
                return ("$" + input[0], false, 1);
        }
    }
}
