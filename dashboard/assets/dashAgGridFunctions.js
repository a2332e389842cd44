// Functions the figures grid calls by name (dash-ag-grid's dashAgGridFunctions namespace).
var dagfuncs = (window.dashAgGridFunctions = window.dashAgGridFunctions || {});

// A number as a reader writes it: thousands separated, at most six significant digits
// ("4,200,000,000", "7.4637"), nothing for a missing value.
dagfuncs.readableNumber = function (value) {
    if (value === null || value === undefined || value === "") { return ""; }
    var number = Number(value);
    if (!isFinite(number)) { return String(value); }
    return number.toLocaleString("en-US", {maximumSignificantDigits: 6});
};

// A yes/no cell in words.
dagfuncs.yesNo = function (value) {
    if (value === null || value === undefined) { return ""; }
    return value ? "yes" : "no";
};
