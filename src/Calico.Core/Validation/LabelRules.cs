using System.Text;
using Calico.Serialization;

namespace Calico.Validation;

/// <summary>
/// metadata.labels and metadata.annotations, as validateObjectMetaLabels and validateObjectMetaAnnotations
/// check them (libcalico-go/lib/validator/v3/validator.go:1633-1680), with Kubernetes' own messages.
/// </summary>
internal static class LabelRules
{
    /// <summary>totalAnnotationSizeLimitB (validator.go:47): 256 kB of keys plus values, in bytes.</summary>
    public const long TotalAnnotationSizeLimit = 256 * 1024;

    public static void CheckLabels(Dictionary<string, string>? labels, ErrorSink errors)
    {
        if (labels is null) return;
        foreach (var (key, value) in labels)
        {
            // The quick pass allocates nothing; only a bad entry pays for its path and messages.
            if (KubernetesContent.CheckLabelKey(key) && KubernetesContent.CheckLabelValue(value)) continue;
            var field = EntryPath("metadata.labels", key);
            KubernetesContent.CheckLabelKey(key, errors, field);
            KubernetesContent.CheckLabelValue(value, errors, field);
        }
    }

    public static void CheckAnnotations(Dictionary<string, string>? annotations, ErrorSink errors)
    {
        if (annotations is null) return;
        long total = 0;
        foreach (var (key, value) in annotations)
        {
            // Annotation keys may hold upper case anywhere: Calico lower-cases them before the label-key check
            // (validator.go:1636), and reports the key as written.
            var lowered = key.ToLowerInvariant();
            if (!KubernetesContent.CheckLabelKey(lowered))
                KubernetesContent.CheckLabelKey(lowered, errors, EntryPath("metadata.annotations", key), key);
            total += Encoding.UTF8.GetByteCount(key) + Encoding.UTF8.GetByteCount(value);
        }
        if (total > TotalAnnotationSizeLimit)
            errors.Add("metadata.annotations", null,
                $"total size of annotations is too large by {total - TotalAnnotationSizeLimit} bytes");
    }

    /// <summary>The path shape the decoder uses for map entries: metadata.labels["app"].</summary>
    private static string EntryPath(string map, string key) => map + "[" + FieldError.Quote(key) + "]";
}
