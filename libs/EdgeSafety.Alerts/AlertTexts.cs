using EdgeSafety.Notifications;

namespace EdgeSafety.Alerts;

/// <summary>What a notification says, in Chinese and English, by kind and by why the person is told.</summary>
internal static class AlertTexts
{
    /// <summary>The machine name in the webhook JSON: ebike-charging, device-offline, ...</summary>
    public static string KebabCase(string pascal) =>
        string.Concat(pascal.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    public static LocalizedText Title(AlertKind kind, DeliveryReason reason)
    {
        var (chinese, english) = kind switch
        {
            AlertKind.EbikeCharging => ("电动自行车室内充电", "E-bike charging indoors"),
            AlertKind.ChargingUnusuallyLong => ("充电时间异常过长", "Charging for unusually long"),
            AlertKind.NoiseExceedance => ("噪声超标", "Noise over the limit"),
            AlertKind.NightNoiseBurst => ("夜间突发噪声", "Noise burst at night"),
            AlertKind.DeviceOffline => ("设备离线", "Device offline"),
            AlertKind.DeviceTampered => ("设备被拆动", "Device tampered with"),
            AlertKind.GatewayOffline => ("网关离线", "Gateway offline"),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
        return reason switch
        {
            DeliveryReason.Escalated => new($"【升级】{chinese}", $"Escalated: {english}"),
            DeliveryReason.Dispatched => new($"【派单】{chinese}", $"Work order: {english}"),
            DeliveryReason.Recurred => new($"【再次发生】{chinese}", $"Again: {english}"),
            _ => new(chinese, english),
        };
    }

    public static LocalizedText Body(AlertKind kind, DeliveryReason reason)
    {
        var (chinese, english) = kind switch
        {
            AlertKind.EbikeCharging or AlertKind.ChargingUnusuallyLong =>
                ("检测到电动自行车电池在室内充电，存在火灾风险。请立即联系租户停止充电。",
                 "An e-bike battery is being charged indoors, a fire risk. Contact the tenant to stop it now."),
            AlertKind.NoiseExceedance or AlertKind.NightNoiseBurst =>
                ("噪声超过限值，请提醒相关住户。", "Noise exceeds the limit; remind the residents concerned."),
            _ => ("监测设备需要检查。", "The monitoring equipment needs a check."),
        };
        return reason switch
        {
            DeliveryReason.Escalated => new($"{chinese}告警未在规定时间内确认，已升级至片区网格员。",
                $"{english} Nobody acknowledged it in time: it is now with the area's wardens."),
            DeliveryReason.Dispatched => new($"{chinese}已派单给您，请到场处理并反馈。", $"{english} Dispatched to you: go on site and report back."),
            _ => new(chinese, english),
        };
    }
}
