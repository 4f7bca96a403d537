using Berth.Server.Auth;
using Berth.Server.Hosting;

namespace Berth.UnitTests.Server.Auth;

public sealed class TokenFileTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void LoadOrCreate_FirstStart_Writes32ByteBase64UrlTokenWithMode0600()
    {
        var path = Path.Combine(temp.Path, "token");
        var token = TokenFile.LoadOrCreate(path);
        Assert.Matches("^[A-Za-z0-9_-]{43}$", token);
        Assert.Equal(SecureFile.Private, TempDirectory.ModeOf(path));
        Assert.Equal(token, File.ReadAllText(path).Trim());
    }

    [Fact]
    public void LoadOrCreate_SecondStart_ReusesToken()
    {
        var path = Path.Combine(temp.Path, "token");
        Assert.Equal(TokenFile.LoadOrCreate(path), TokenFile.LoadOrCreate(path));
    }

    [Fact]
    public void LoadOrCreate_TwoDirectories_DifferentTokens()
    {
        Assert.NotEqual(TokenFile.LoadOrCreate(Path.Combine(temp.Path, "a")), TokenFile.LoadOrCreate(Path.Combine(temp.Path, "b")));
    }
}
