namespace EdgeSafety.Appliances;

/// <summary>Every kind of appliance the library models; the e-bike chargers are the ones a detector must find.</summary>
public enum ApplianceKind
{
    EbikeLeadAcid48V,
    EbikeLeadAcid60V,
    EbikeLeadAcid72V,
    EbikeLithium48V,
    EbikeLithium60V,
    EbikeLithium48VPfc,
    EbikeLithium60VPfc,
    LaptopCharger,
    LaptopChargerPfc,
    PhoneCharger,
    DesktopPc,
    Television,
    Monitor,
    LedLighting,
    EscooterCharger,
    PowerToolCharger,
    Refrigerator,
    AirConditionerFixedSpeed,
    AirConditionerInverter,
    Kettle,
    RiceCooker,
    InductionCooker,
    Microwave,
    HairDryer,
    WashingMachine,
    WaterHeater,
    Fan,
    Router,
}
