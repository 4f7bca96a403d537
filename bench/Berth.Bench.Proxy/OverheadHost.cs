using System.Net;
using Berth.Proxy;

namespace Berth.Bench.Proxy;

/// <summary>
/// The serving roles of the overhead bench when client, proxy and backend run in separate processes, as they do in
/// production (a client process, <c>berth server</c> hosting the proxy, a pod process): <c>serve-backend ADDRESS</c>
/// runs the <see cref="TinyHttpServer"/>, <c>serve-proxies ADDRESS</c> runs every <see cref="OverheadBench.Variants"/>
/// proxy in front of that backend. Each prints "ready" once listening and exits when its stdin closes.
/// </summary>
internal static class OverheadHost
{
    public static async Task<int> RunAsync(string role, IPEndPoint backendAddress)
    {
        var disposables = new List<IAsyncDisposable>();
        try
        {
            if (role == "serve-backend")
            {
                disposables.Add(new TinyHttpServer(backendAddress));
            }
            else
            {
                for (var i = 0; i < OverheadBench.Variants.Length; i++)
                {
                    disposables.Add(await OverheadBench.StartProxyAsync(OverheadBench.ProxyAddress(i), backendAddress, OverheadBench.Variants[i].Options));
                }
            }
            Console.WriteLine("ready");
            await Console.In.ReadToEndAsync();
            return 0;
        }
        finally
        {
            foreach (var disposable in disposables)
            {
                await disposable.DisposeAsync();
            }
        }
    }
}
