using System.Security.Cryptography.X509Certificates;
using System.Text;
using Berth.Server.Hosting;

namespace Berth.Server.Kubeconfig;

/// <summary>
/// Writes <c>DIR/kubeconfig</c> (mode 0600) at every start, since the port may change: cluster <c>berth</c> with the
/// server URL and the CA inline, user <c>berth-admin</c> with the bearer token, context <c>berth</c> (namespace
/// default) as the current context. Values are double-quoted YAML scalars.
/// </summary>
/// <remarks>The file format of k8s.io/client-go/tools/clientcmd/api/v1/types.go (Config).</remarks>
internal static class KubeconfigWriter
{
    public const string ClusterName = "berth";
    public const string UserName = Berth.ApiServer.Auth.SelfReviewEndpoints.UserName;
    public const string ContextName = "berth";

    public static string Render(Uri server, X509Certificate2 authority, string token)
    {
        var caData = Convert.ToBase64String(Encoding.ASCII.GetBytes(authority.ExportCertificatePem()));
        var serverUrl = server.GetLeftPart(UriPartial.Authority);
        return $$"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: {{ClusterName}}
              cluster:
                server: "{{serverUrl}}"
                certificate-authority-data: "{{caData}}"
            users:
            - name: {{UserName}}
              user:
                token: "{{token}}"
            contexts:
            - name: {{ContextName}}
              context:
                cluster: {{ClusterName}}
                user: {{UserName}}
                namespace: default
            current-context: {{ContextName}}
            preferences: {}

            """;
    }

    /// <summary>Writes the file and returns its path.</summary>
    public static string Write(DataDirectory dir, Uri server, X509Certificate2 authority, string token)
    {
        SecureFile.WriteAllText(dir.Kubeconfig, Render(server, authority, token), SecureFile.Private);
        return dir.Kubeconfig;
    }
}
