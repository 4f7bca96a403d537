namespace Berth.Bench.Rollout;

/// <summary>
/// Derives the bench's manifests from examples/hello-deployment.yaml (the tour's app), so the bench measures exactly
/// what users apply: only the replica count changes, and the baseline variant drops the <c>lifecycle:</c> block.
/// Every edit is checked to have matched, so a changed example stops the bench instead of measuring something else.
/// </summary>
internal static class Manifests
{
    private const string PreStopBlock = "        lifecycle:\n          preStop:\n            sleep: {seconds: 1}\n";

    public static string Derive(string exampleYaml, int replicas, Variant variant)
    {
        var yaml = exampleYaml.ReplaceLineEndings("\n");
        yaml = Replace(yaml, "  replicas: 3\n", $"  replicas: {replicas}\n");
        return variant.PreStop ? Require(yaml, PreStopBlock) : Replace(yaml, PreStopBlock, "");
    }

    private static string Require(string yaml, string part) =>
        yaml.Contains(part, StringComparison.Ordinal) ? yaml : throw new InvalidOperationException($"the example no longer contains:\n{part}");

    private static string Replace(string yaml, string part, string with) => Require(yaml, part).Replace(part, with, StringComparison.Ordinal);
}
