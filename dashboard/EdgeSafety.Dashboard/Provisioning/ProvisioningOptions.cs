using System.ComponentModel.DataAnnotations;
using EdgeSafety.Mqtt;
using EdgeSafety.Provisioning;

namespace EdgeSafety.Dashboard.Provisioning;

/// <summary>The "Provisioning" section: gateway enrolment and revocation (docs/security.md). Absent: the endpoints are not mapped.</summary>
public sealed class ProvisioningOptions
{
    /// <summary>The dashboard's administration connection to the broker, as the "provisioning" client (PasswordFile, TLS).</summary>
    [Required]
    public MqttClientOptions Broker { get; set; } = new();

    /// <summary>The broker as gateways reach it (often not the address the dashboard uses), handed over at enrolment.</summary>
    [Required]
    public GatewayBrokerOptions GatewayBroker { get; set; } = new();

    [Required]
    public EnrolmentOptions Enrolment { get; set; } = new();
}

public sealed class GatewayBrokerOptions : IValidatableObject
{
    [Required]
    public string Host { get; set; } = "";

    [Range(1, 65535)]
    public int Port { get; set; } = 8883;

    /// <summary>PEM file of the CA that signed the broker's certificate: the gateway trusts the broker through it.</summary>
    [Required]
    public string CaFile { get; set; } = "";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrEmpty(CaFile) && !File.Exists(CaFile))
        {
            yield return new ValidationResult($"CaFile '{CaFile}' does not exist.", [nameof(CaFile)]);
        }
    }
}
