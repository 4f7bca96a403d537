namespace Berth.Kubelet.Stats;

public sealed partial class ResourceAnalyzer
{
    /// <summary>How long the sampling loop keeps sampling after the last metrics request.</summary>
    public static readonly TimeSpan DemandWindow = TimeSpan.FromMinutes(10);

    // Under _gate: the timestamp of the latest request (0: never), and the sample-then-wait a quiet spell's first
    // request started, which the requests meanwhile await too.
    private long _demandedAt;
    private Task? _priming;

    /// <summary>True while a metrics request came within <see cref="DemandWindow"/>; the sampling loop samples only then.</summary>
    public bool InDemand
    {
        get
        {
            lock (_gate)
            {
                return InDemandLocked();
            }
        }
    }

    private bool InDemandLocked() => _demandedAt != 0 && time.GetElapsedTime(_demandedAt) < DemandWindow;

    // Records the request; after a quiet spell, samples at once and waits MinimumWindow so that this request (and any
    // arriving meanwhile) gets rates. A failed priming sample still ends the wait; the request then has fewer figures.
    private async Task EnsureSampledAsync(CancellationToken cancellationToken)
    {
        Task? priming;
        lock (_gate)
        {
            if (!InDemandLocked())
            {
                _priming ??= Task.Run(PrimeAsync, CancellationToken.None);
            }
            _demandedAt = time.GetTimestamp();
            priming = _priming;
        }
        if (priming is not null)
        {
            await priming.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task PrimeAsync()
    {
        try
        {
            await SampleAsync(CancellationToken.None).ConfigureAwait(false);
            await Task.Delay(MinimumWindow, time).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The sampling loop logs the same failure on its next tick; the waiting requests answer with what there is.
        }
        finally
        {
            lock (_gate)
            {
                _priming = null;
            }
        }
    }
}
