/**
 * The council profiles shipped with the plugin (Manchester, the GLA, Harrogate: the councils whose real spend
 * files are in the simulator), and the standard budget-book and pooled-fund columns of the protocol.
 *
 * @since 0.1.0
 */
import type { CouncilProfile } from "./CouncilProfile.ts"

const h = (...headings: ReadonlyArray<string>) => ({ headings })

/**
 * The budget-book columns of docs/external-systems/council-finance.md, with common alternatives.
 *
 * @category profiles
 * @since 0.1.0
 */
export const standardBudgetColumns: NonNullable<CouncilProfile["budget"]> = {
  financialYear: { headings: ["Financial Year", "Year"], patterns: ["^fin(ancial)?\\.? ?year"] },
  serviceCode: { headings: ["Cost Centre", "Cost Centre Code", "Service Code"] },
  service: { headings: ["Cost Centre Name", "Cost Centre Description", "Service", "Service Area"] },
  expenseCode: { headings: ["Subjective Code", "Expense Code", "Account Code"] },
  expenseType: { headings: ["Subjective Name", "Subjective Description", "Expense Type", "Expenses Type"] },
  capitalOrRevenue: { headings: ["Capital/Revenue", "Capital / Revenue", "Cap/Rev"] },
  budget: { headings: ["Original Budget", "Budget"], patterns: ["^original.*budget"] },
  revisedBudget: { headings: ["Revised Budget", "Latest Budget", "Current Budget"] }
}

/**
 * The pooled-fund statement columns of docs/external-systems/council-finance.md.
 *
 * @category profiles
 * @since 0.1.0
 */
export const standardPooledFundColumns: NonNullable<CouncilProfile["pooledFund"]> = {
  fundId: h("Fund Reference", "Fund ID", "Fund Code"),
  fundName: h("Fund Name", "Fund"),
  host: h("Host", "Host Organisation"),
  financialYear: h("Financial Year", "Year"),
  month: h("Month", "Period"),
  partner: h("Partner", "Partner Code"),
  partnerKind: h("Partner Type", "Partner Kind"),
  planned: h("Planned Contribution", "Plan"),
  contributed: h("Actual Contribution", "Contribution"),
  spent: h("Expenditure", "Spend")
}

/**
 * Manchester City Council: `Body Name, Service Area, Expenses Type, Invoice Payment Date, Transaction Number,
 * Net Amount, Supplier Name`.
 *
 * @category profiles
 * @since 0.1.0
 */
export const manchester: CouncilProfile = {
  id: "manchester",
  name: "Manchester City Council",
  dateFormats: ["iso", "dd/mm/yyyy", "dd-mmm-yyyy"],
  formulaCells: "mark",
  spend: {
    bodyName: h("Body Name", "Body"),
    service: h("Service Area", "Service Area Categorisation"),
    expenseType: h("Expenses Type", "Expense Type"),
    paymentDate: { headings: ["Invoice Payment Date", "Payment Date"], patterns: ["date"] },
    transactionNumber: { headings: ["Transaction Number", "Transaction No."], patterns: ["^trans"] },
    amount: { headings: ["Net Amount", "Amount"], patterns: ["amount"] },
    supplier: { headings: ["Supplier Name", "Supplier"], patterns: ["supplier|vendor|payee"] }
  }
}

/**
 * The Greater London Authority: `Vendor ID, Vendor Name, Cost Element, Expenditure Account Code Description,
 * Document No, Amount, Clearing Date`; credits in brackets (`(2,076.25)`).
 *
 * @category profiles
 * @since 0.1.0
 */
export const gla: CouncilProfile = {
  id: "gla",
  name: "Greater London Authority",
  dateFormats: ["iso", "dd/mm/yyyy", "dd-mmm-yyyy"],
  formulaCells: "mark",
  spend: {
    supplier: h("Vendor Name", "Supplier Name"),
    expenseType: h("Cost Element"),
    service: h("Expenditure Account Code Description", "Expenditure Account"),
    transactionNumber: { headings: ["Document No", "Document Number", "SAP Document No"], patterns: ["^doc(ument)?\\.? ?(no|num)"] },
    amount: h("Amount", "Amount (£)"),
    paymentDate: { headings: ["Clearing Date", "Payment Date"], patterns: ["date"] }
  }
}

/**
 * Harrogate Borough Council: `Body Name, Expenditure Category, Capital/ Revenue, Service Label, Service Code,
 * Expenditure Code, Payment Date, Supplier Name, Transaction No., Net Amount, Narrative`. (Its `Service Code`
 * column holds the service name and `Service Label` the directorate; the profile maps them as they are used.)
 *
 * @category profiles
 * @since 0.1.0
 */
export const harrogate: CouncilProfile = {
  id: "harrogate",
  name: "Harrogate Borough Council",
  dateFormats: ["iso", "dd/mm/yyyy", "dd-mmm-yyyy"],
  formulaCells: "mark",
  spend: {
    bodyName: h("Body Name"),
    category: h("Expenditure Category"),
    capitalOrRevenue: { headings: ["Capital/ Revenue", "Capital/Revenue"], patterns: ["^capital ?/ ?revenue"] },
    service: h("Service Code", "Service Label"),
    expenseType: h("Expenditure Code"),
    paymentDate: h("Payment Date"),
    supplier: h("Supplier Name"),
    transactionNumber: { headings: ["Transaction No.", "Transaction Number"], patterns: ["^trans"] },
    amount: h("Net Amount", "Amount"),
    description: h("Narrative", "Description")
  }
}

/**
 * Every shipped profile by council id.
 *
 * @category profiles
 * @since 0.1.0
 */
export const builtIn: Readonly<Record<string, CouncilProfile>> = { manchester, gla, harrogate }
