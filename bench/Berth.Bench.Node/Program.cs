using Berth.Bench.Api;
using Berth.Bench.Node;

// Node-agent benchmark (issue 3 §5) of a real `berth server` child process: pod startup burst, termination precision,
// and the server's overhead with idle pods. Markdown on stdout, progress on stderr. See bench/README.md.
NodeBenchOptions options;
try
{
    options = NodeBenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}
var time = TimeProvider.System;
if (options.WarmBursts is { } warmBursts)
{
    await BurstSeries.RunAsync(options, warmBursts, time);
    return 0;
}
var started = time.GetUtcNow();
var loadBefore = LoadAverage.Read();
NodeFigures figures;
try
{
    figures = await NodeSuite.RunAsync(options, time);
}
catch (Exception e) when (e is BenchFailureException or HttpRequestException or TimeoutException or TaskCanceledException or InvalidOperationException)
{
    Console.Error.WriteLine($"node bench failed: {e}");
    return 1;
}
Console.WriteLine(NodeReport.Render(options, figures, started, time.GetUtcNow() - started, loadBefore, LoadAverage.Read()));
return 0;
