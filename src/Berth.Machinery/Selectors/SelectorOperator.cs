namespace Berth.Machinery.Selectors;

/// <summary>
/// The operators of label and field selector requirements. Field selectors only use
/// <see cref="Equals"/>, <see cref="DoubleEquals"/> and <see cref="NotEquals"/>.
/// Mirrors k8s.io/apimachinery/pkg/selection/operator.go.
/// </summary>
public enum SelectorOperator
{
    /// <summary><c>a=b</c>: the label is present and has exactly this value.</summary>
    Equals,

    /// <summary><c>a==b</c>: same meaning as <see cref="Equals"/>; kept apart so the selector prints back as written.</summary>
    DoubleEquals,

    /// <summary><c>a!=b</c>: the label is absent or has another value.</summary>
    NotEquals,

    /// <summary><c>a in (x,y)</c>: the label is present and its value is one of the set.</summary>
    In,

    /// <summary><c>a notin (x,y)</c>: the label is absent or its value is none of the set.</summary>
    NotIn,

    /// <summary><c>a</c>: the label is present, whatever its value.</summary>
    Exists,

    /// <summary><c>!a</c>: the label is absent.</summary>
    DoesNotExist,

    /// <summary><c>a&gt;5</c>: the label is present, an integer, and greater than the value.</summary>
    GreaterThan,

    /// <summary><c>a&lt;5</c>: the label is present, an integer, and less than the value.</summary>
    LessThan,
}
