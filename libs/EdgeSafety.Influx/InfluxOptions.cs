using System.ComponentModel.DataAnnotations;

namespace EdgeSafety.Influx;

/// <summary>Where and how to reach InfluxDB over its v1 HTTP API (configuration section "Influx", for example).</summary>
public sealed class InfluxOptions : IValidatableObject
{
    /// <summary>The server's root, http or https (a path prefix such as a reverse proxy's is kept).</summary>
    [Required]
    public Uri BaseAddress { get; set; } = new("http://127.0.0.1:8086/");

    [Required]
    [RegularExpression(@"^[^\r\n]+$", ErrorMessage = "The Database name cannot contain line breaks.")]
    public string Database { get; set; } = "edgesafety";

    /// <summary>Sent with Basic authentication, together with <see cref="Password"/>; none when null.</summary>
    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>The retention policy to write into; empty means the database's default.</summary>
    [Required(AllowEmptyStrings = true)]
    public string RetentionPolicy { get; set; } = "";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (BaseAddress is { } address && (!address.IsAbsoluteUri || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps)))
        {
            yield return new ValidationResult("The BaseAddress must be an absolute http or https address.", [nameof(BaseAddress)]);
        }

        if (Password is not null && string.IsNullOrEmpty(Username))
        {
            yield return new ValidationResult("A Password is set without a Username.", [nameof(Username), nameof(Password)]);
        }
    }

    /// <summary>Throws <see cref="ValidationException"/> with the first problem found.</summary>
    public void ThrowIfInvalid() => Validator.ValidateObject(this, new ValidationContext(this), validateAllProperties: true);
}
