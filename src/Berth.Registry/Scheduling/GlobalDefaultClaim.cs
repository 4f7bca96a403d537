using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry.Generic;
using Berth.Registry.Validation;

namespace Berth.Registry.Scheduling;

/// <summary>
/// Which PriorityClass is the <c>globalDefault</c>: loaded once from the stored classes, then kept by the store hooks
/// of every write, so at most one class is ever marked default and pod admission needs no list per pod. A write that
/// would mark a second class default is refused with upstream's 403 before it is stored; a claim is held from
/// <see cref="BeginCreate"/> until its write finishes, so two concurrent writes cannot both win (upstream checks a
/// possibly stale lister). Thread-safe. Mirrors validatePriorityClass in kubernetes/kubernetes
/// plugin/pkg/admission/priority/admission.go.
/// </summary>
internal sealed class GlobalDefaultClaim
{
    private readonly Lock _lock = new();
    private readonly RebuildOnce _rebuild;
    private string? _holder;
    private string? _pending;

    /// <summary>The name of the class marked globalDefault, or null. Valid once initialised.</summary>
    public string? Holder
    {
        get
        {
            lock (_lock)
            {
                return _holder;
            }
        }
    }

    public GlobalDefaultClaim()
    {
        _rebuild = new RebuildOnce(stored =>
        {
            lock (_lock)
            {
                _holder = stored.FirstOrDefault(IsDefault)?.GetName();
            }
        });
    }

    public Task EnsureInitializedAsync(Func<CancellationToken, Task<IReadOnlyList<JsonObject>>> listStored, CancellationToken cancellationToken) =>
        _rebuild.EnsureAsync(listStored, cancellationToken);

    public FinishFunc BeginCreate(JsonObject obj, bool dryRun) => Claim(obj.GetName() ?? "", IsDefault(obj), wasDefault: false, dryRun);

    public FinishFunc BeginUpdate(JsonObject newObj, JsonObject oldObj, bool dryRun) =>
        Claim(newObj.GetName() ?? "", IsDefault(newObj), IsDefault(oldObj), dryRun);

    public void AfterDelete(JsonObject obj)
    {
        lock (_lock)
        {
            if (_holder == obj.GetName())
            {
                _holder = null;
            }
        }
    }

    public static bool IsDefault(JsonObject obj) => JsonFields.AsBool(obj["globalDefault"]) == true;

    private FinishFunc Claim(string name, bool isDefault, bool wasDefault, bool dryRun)
    {
        lock (_lock)
        {
            if (!isDefault)
            {
                return wasDefault && !dryRun ? success => Release(name, success) : static _ => { };
            }
            var other = _holder is { } h && h != name ? h : _pending is { } p && p != name ? p : null;
            if (other is not null)
            {
                throw ApiErrors.Forbidden(KindRegistry.PriorityClasses, name,
                    $"PriorityClass {other} is already marked as default. Only one default can exist");
            }
            if (dryRun || _holder == name)
            {
                return static _ => { };
            }
            _pending = name;
            return success => Commit(name, success);
        }
    }

    private void Commit(string name, bool success)
    {
        lock (_lock)
        {
            if (_pending == name)
            {
                _pending = null;
            }
            if (success)
            {
                _holder = name;
            }
        }
    }

    private void Release(string name, bool success)
    {
        lock (_lock)
        {
            if (success && _holder == name)
            {
                _holder = null;
            }
        }
    }
}
