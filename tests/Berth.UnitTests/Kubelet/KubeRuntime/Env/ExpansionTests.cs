using Berth.Kubelet.KubeRuntime.Env;

namespace Berth.UnitTests.Kubelet.KubeRuntime.Env;

/// <summary>$(VAR) expansion as third_party/forked/golang/expansion.</summary>
public sealed class ExpansionTests
{
    private static readonly Dictionary<string, string> Vars = new() { ["VAR_A"] = "A", ["VAR_B"] = "B", ["EMPTY"] = "" };

    [Theory]
    [InlineData("$(VAR_A)", "A")]
    [InlineData("___$(VAR_B)___", "___B___")]
    [InlineData("$(VAR_A)-$(VAR_B)", "A-B")]
    [InlineData("$(EMPTY)", "")]
    [InlineData("$(UNKNOWN)", "$(UNKNOWN)")]
    [InlineData("$$(VAR_A)", "$(VAR_A)")]
    [InlineData("$$$(VAR_A)", "$A")]
    [InlineData("$$", "$")]
    [InlineData("$", "$")]
    [InlineData("$VAR_A", "$VAR_A")]
    [InlineData("$(VAR_A", "$(VAR_A")]
    [InlineData("$()", "$()")]
    [InlineData("f000-$$VAR_A", "f000-$VAR_A")]
    [InlineData("no vars", "no vars")]
    public void Expand_Table(string input, string expected) =>
        Assert.Equal(expected, Expansion.Expand(input, Expansion.MappingFor(Vars)));
}
