using System.Reflection;
using Berth.Testing.Processes;
using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestFramework("Berth.E2ETests.PodLeakCheck", "Berth.E2ETests")]

namespace Berth.E2ETests;

/// <summary>
/// xunit's own test framework plus one step after the last test of the assembly: reap the pods of every node that
/// was left registered (a crashed node whose restart never came, see <see cref="TestDataDirectories"/>), then fail
/// the run (an assembly cleanup failure) when a node's pods outlived its graceful stop (<see cref="TestDataDirectories.Leaked"/>)
/// or when a pod process of this run survives SIGKILL. Summaries go to the diagnostic sink (visible with
/// <c>dotnet test … -- xUnit.DiagnosticMessages=true</c>).
/// </summary>
public sealed class PodLeakCheck(IMessageSink messageSink) : XunitTestFramework(messageSink)
{
    protected override ITestFrameworkExecutor CreateExecutor(AssemblyName assemblyName) =>
        new Executor(assemblyName, SourceInformationProvider, DiagnosticMessageSink);

    private sealed class Executor(AssemblyName assemblyName, ISourceInformationProvider sourceInformationProvider, IMessageSink diagnosticMessageSink)
        : XunitTestFrameworkExecutor(assemblyName, sourceInformationProvider, diagnosticMessageSink)
    {
        protected override async void RunTestCases(IEnumerable<IXunitTestCase> testCases, IMessageSink executionMessageSink,
            ITestFrameworkExecutionOptions executionOptions)
        {
            using var runner = new Runner(TestAssembly, testCases, DiagnosticMessageSink, executionMessageSink, executionOptions);
            await runner.RunAsync();
        }
    }

    private sealed class Runner(ITestAssembly testAssembly, IEnumerable<IXunitTestCase> testCases, IMessageSink diagnosticMessageSink,
        IMessageSink executionMessageSink, ITestFrameworkExecutionOptions executionOptions)
        : XunitTestAssemblyRunner(testAssembly, testCases, diagnosticMessageSink, executionMessageSink, executionOptions)
    {
        protected override async Task BeforeTestAssemblyFinishedAsync()
        {
            try
            {
                await TestDataDirectories.ReapAllAsync();
            }
            catch (TimeoutException error)
            {
                Aggregator.Add(error);
            }
            var reaped = TestDataDirectories.Reaped;
            if (reaped.Count > 0)
            {
                DiagnosticMessageSink.OnMessage(new DiagnosticMessage($"Berth.E2ETests: reaped {reaped.Count} pod processes:\n{string.Join('\n', reaped)}"));
            }
            var leaked = TestDataDirectories.Leaked;
            if (leaked.Count > 0)
            {
                var message = $"{leaked.Count} pod processes outlived their node's graceful stop (killed since):\n"
                    + string.Join('\n', leaked.Select(l => $"{l.DataDir}: {l.Process}"));
                DiagnosticMessageSink.OnMessage(new DiagnosticMessage(message));
                Aggregator.Add(new PodProcessesOutlivedTheirNodeException(message));
            }
            await base.BeforeTestAssemblyFinishedAsync();
        }
    }
}
