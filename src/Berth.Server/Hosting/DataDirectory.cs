namespace Berth.Server.Hosting;

/// <summary>
/// The layout of <c>--data-dir</c>. <see cref="Prepare"/> creates it with mode 0700 (owner only), because it holds
/// the CA key and the admin token. File names are part of the user-visible contract (docs, scripts).
/// </summary>
public sealed class DataDirectory
{
    private DataDirectory(string root) => Root = root;

    public string Root { get; }

    public string CaCertificate => Path.Combine(Root, "ca.crt");

    public string CaKey => Path.Combine(Root, "ca.key");

    public string ServerCertificate => Path.Combine(Root, "server.crt");

    public string ServerKey => Path.Combine(Root, "server.key");

    public string Token => Path.Combine(Root, "token");

    /// <summary>The private key (PKCS#8 PEM, mode 0600) that signs ServiceAccount tokens.</summary>
    public string ServiceAccountKey => Path.Combine(Root, "sa.key");

    public string Kubeconfig => Path.Combine(Root, "kubeconfig");

    public string Database => Path.Combine(Root, "berth.db");

    /// <summary>Creates the directory if missing (0700) and returns its layout. Existing modes are left alone.</summary>
    public static DataDirectory Prepare(string path)
    {
        var root = Path.GetFullPath(path);
        if (!Directory.Exists(root))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(root);
            }
            else
            {
                Directory.CreateDirectory(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }
        return new DataDirectory(root);
    }
}
