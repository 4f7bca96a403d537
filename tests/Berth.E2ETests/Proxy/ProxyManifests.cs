namespace Berth.E2ETests.Proxy;

/// <summary>Pods and Services of the proxy and DNS tests.</summary>
internal static class ProxyManifests
{
    /// <summary>
    /// A python3 HTTP/1.1 server (keep-alive) on $(POD_IP):8080 that answers every GET with the pod's name; it exits
    /// at once on SIGTERM (python's default), so a pod stops serving exactly when its process gets the stop signal.
    /// </summary>
    private const string NameServer =
        "import http.server, os\\n" +
        "class H(http.server.BaseHTTPRequestHandler):\\n" +
        "    protocol_version = 'HTTP/1.1'\\n" +
        "    def do_GET(self):\\n" +
        "        body = os.environ['POD_NAME'].encode()\\n" +
        "        self.send_response(200)\\n" +
        "        self.send_header('Content-Length', str(len(body)))\\n" +
        "        self.end_headers()\\n" +
        "        self.wfile.write(body)\\n" +
        "    def log_message(self, *args):\\n" +
        "        pass\\n" +
        "http.server.ThreadingHTTPServer((os.environ['POD_IP'], 8080), H).serve_forever()\\n";

    /// <summary>
    /// A pod labelled <c>app: <paramref name="app"/></c> running the name server. Readiness: an HTTP GET every second,
    /// or when <paramref name="unreadyFile"/> is set, an exec probe that fails while that host file exists (pods run on
    /// the host). <paramref name="listen"/> false runs <c>sleep</c> instead: ready, but every dial is refused.
    /// </summary>
    public static string NamePod(string ns, string name, string app, int preStopSeconds = 1, int grace = 5,
        string? unreadyFile = null, bool listen = true)
    {
        var command = listen ? $"[\"python3\", \"-c\", \"{NameServer}\"]" : "[\"sleep\", \"3600\"]";
        var readiness = unreadyFile is not null
            ? $"{{\"exec\":{{\"command\":[\"sh\",\"-c\",\"test ! -e {unreadyFile}\"]}},\"periodSeconds\":1,\"failureThreshold\":1}}"
            : listen
                ? "{\"httpGet\":{\"path\":\"/\",\"port\":8080},\"periodSeconds\":1,\"failureThreshold\":1}"
                : "{\"exec\":{\"command\":[\"true\"]},\"periodSeconds\":1}";
        return $$$"""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"{{{name}}}","namespace":"{{{ns}}}","labels":{"app":"{{{app}}}"}},
             "spec":{"terminationGracePeriodSeconds":{{{grace}}},
              "containers":[{"name":"web","image":"python:3.12","command":{{{command}}},
               "env":[{"name":"POD_IP","valueFrom":{"fieldRef":{"fieldPath":"status.podIP"} } },
                      {"name":"POD_NAME","valueFrom":{"fieldRef":{"fieldPath":"metadata.name"} } }],
               "ports":[{"name":"http","containerPort":8080}],
               "readinessProbe":{{{readiness}}},
               "lifecycle":{"preStop":{"sleep":{"seconds":{{{preStopSeconds}}} } } } } ] } }
            """;
    }

    /// <summary>A Service selecting <c>app: <paramref name="app"/></c>, port <c>http</c> 80 → 8080.</summary>
    public static string Service(string ns, string name, string app, string type = "ClusterIP", string? affinity = null, bool headless = false)
    {
        var extra = (headless ? ",\"clusterIP\":\"None\"" : "") + (affinity is null ? "" : $",\"sessionAffinity\":\"{affinity}\"");
        return $$$"""
        {"apiVersion":"v1","kind":"Service","metadata":{"name":"{{{name}}}","namespace":"{{{ns}}}"},
         "spec":{"type":"{{{type}}}","selector":{"app":"{{{app}}}"}{{{extra}}},
          "ports":[{"name":"http","port":80,"targetPort":8080,"protocol":"TCP"}]}}
        """;
    }

    /// <summary>A python3 UDP server on $(POD_IP):5353 that answers every datagram with the pod's name, a colon and the datagram.</summary>
    private const string UdpNameServer =
        "import socket, os\\n" +
        "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\\n" +
        "s.bind((os.environ['POD_IP'], 5353))\\n" +
        "while True:\\n" +
        "    d, a = s.recvfrom(2048)\\n" +
        "    s.sendto(os.environ['POD_NAME'].encode() + b':' + d, a)\\n";

    /// <summary>A pod labelled <c>app: <paramref name="app"/></c> running the UDP name server (no probe: ready once started).</summary>
    public static string UdpNamePod(string ns, string name, string app) => $$$"""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"{{{name}}}","namespace":"{{{ns}}}","labels":{"app":"{{{app}}}"}},
         "spec":{"terminationGracePeriodSeconds":2,
          "containers":[{"name":"dns","image":"python:3.12","command":["python3","-c","{{{UdpNameServer}}}"],
           "env":[{"name":"POD_IP","valueFrom":{"fieldRef":{"fieldPath":"status.podIP"} } },
                  {"name":"POD_NAME","valueFrom":{"fieldRef":{"fieldPath":"metadata.name"} } }],
           "ports":[{"name":"dns","containerPort":5353,"protocol":"UDP"}] } ] } }
        """;

    /// <summary>A Service selecting <c>app: <paramref name="app"/></c>, port <c>dns</c> 53/UDP → the named container port.</summary>
    public static string UdpService(string ns, string name, string app) => $$$"""
        {"apiVersion":"v1","kind":"Service","metadata":{"name":"{{{name}}}","namespace":"{{{ns}}}"},
         "spec":{"selector":{"app":"{{{app}}}"},"ports":[{"name":"dns","port":53,"targetPort":"dns","protocol":"UDP"}]}}
        """;

    public static string ExternalNameService(string ns, string name, string externalName) => $$$"""
        {"apiVersion":"v1","kind":"Service","metadata":{"name":"{{{name}}}","namespace":"{{{ns}}}"},
         "spec":{"type":"ExternalName","externalName":"{{{externalName}}}"}}
        """;
}
