namespace Berth.Client.Informers;

/// <summary>Defaults a <see cref="SharedInformerFactory"/> applies to the informers it creates.</summary>
/// <param name="Namespace">Watch only this namespace unless an informer's options say otherwise; null for all.</param>
/// <param name="DefaultResyncPeriod">Resync period for informers that set none; zero for never.</param>
/// <param name="Reflector">Reflector settings for every informer; null keeps each informer's own.</param>
public sealed record SharedInformerFactoryOptions(
    string? Namespace = null,
    TimeSpan DefaultResyncPeriod = default,
    ReflectorOptions? Reflector = null);
