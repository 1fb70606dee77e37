/// Realistic starting prices (USDT per base unit) for the majors, so simulated runs look familiar.
/// Other coins get a price derived from their tick size.
enum ReferencePrices {
    static func price(of coin: String) -> Double? {
        switch coin {
        case "BTC": 95_000
        case "ETH": 3_500
        case "SOL": 180
        case "XRP": 2.2
        case "DOGE": 0.35
        case "BNB": 650
        case "SUI": 3.5
        case "ADA": 0.9
        case "LINK": 20
        case "AVAX": 35
        case "LTC": 100
        case "PEPE": 0.000018
        case "WIF": 1.8
        case "TRX": 0.25
        case "DOT": 6.5
        case "BCH": 450
        case "NEAR": 5
        case "APT": 9
        case "ARB": 0.7
        case "OP": 1.9
        case "TON": 5.5
        case "FIL": 5
        case "ATOM": 6.5
        case "UNI": 12
        case "AAVE": 300
        case "ENA": 0.8
        case "WLD": 2
        case "TIA": 5
        case "SEI": 0.4
        case "INJ": 22
        case "HYPE": 30
        case "ETC": 25
        case "XLM": 0.4
        case "HBAR": 0.25
        case "SHIB": 0.000022
        case "TAO": 450
        case "ONDO": 1.2
        case "TRUMP": 12
        case "BONK": 0.00003
        default: nil
        }
    }
}
