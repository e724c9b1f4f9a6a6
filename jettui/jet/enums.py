"""Jet vocabularies (docs/jet-api.md sections 2–4).

State-like values are ``StrEnum`` so code can name them; long free-form vocabularies
(carriers, methods, reasons) are tuples of the exact wire strings.
"""

from __future__ import annotations

from enum import StrEnum

from jettui.config import US_STATES as US_STATES  # re-exported for the validators


class ProductStatus(StrEnum):
    UNDER_REVIEW = "Under Jet Review"
    MISSING_DATA = "Missing Listing Data"
    EXCLUDED = "Excluded"
    UNAUTHORIZED = "Unauthorized"
    ARCHIVED = "Archived"
    AVAILABLE = "Available for Purchase"


class ProductSubStatus(StrEnum):
    MISSING_VARIATION = "Missing variation information"
    MISSING_TITLE = "Missing title"
    MISSING_SHIPPING_WEIGHT = "Missing shipping weight"
    MISSING_PRICE = "Missing price"
    MISSING_IMAGE = "Missing image"
    MISSING_CATEGORY = "Missing category"
    MISSING_BRAND = "Missing brand"
    MISSING_ATTRIBUTE_VALUE = "Missing attribute value"
    INVALID_SKU_IDENTIFIER = "Invalid SKU identifier"
    INVALID_CATEGORY = "Invalid category"
    INCORRECT_MULTIPACK = "Incorrect multipack quantity"
    ADDITIONAL_SKU_ID_NEEDED = "Additional SKU ID needed"
    ATTRIBUTE_DATA_NEEDED = "Attribute Data Needed"
    PRICE_NEEDED = "Price Needed"
    IMAGE_NEEDED = "Image Needed"


# Standard product code type → number of characters.
CODE_TYPES: dict[str, int] = {"UPC": 12, "EAN": 13, "ISBN-10": 10, "ISBN-13": 13, "GTIN-14": 14}


class OrderStatus(StrEnum):
    CREATED = "created"
    READY = "ready"
    ACKNOWLEDGED = "acknowledged"
    IN_PROGRESS = "inprogress"
    COMPLETE = "complete"


class AckStatus(StrEnum):
    ACCEPTED = "accepted"
    REJECTED_OTHER = "rejected - other"
    REJECTED_FRAUD = "rejected - fraud"
    REJECTED_ITEM_ERROR = "rejected - item level error"
    REJECTED_SHIP_FROM = "rejected - ship from location not available"
    REJECTED_METHOD = "rejected - shipping method not supported"
    REJECTED_ADDRESS = "rejected - unfulfillable address"


class ItemAckStatus(StrEnum):
    FULFILLABLE = "fulfillable"
    NO_INVENTORY = "nonfulfillable - no inventory"
    INVALID_SKU = "nonfulfillable - invalid merchant SKU"
    NONFULFILLABLE = "nonfulfillable"  # plain form seen in one client (TCOMB)


class ExceptionState(StrEnum):
    TOO_MANY_CANCELLED = "exception - too many units cancelled"
    MANUAL_CANCEL = "exception - jet manual canceled to complete state"
    TOO_MANY_SHIPPED = "exception - too many units shipped"
    ORDER_REJECTED = "exception - order rejected"
    RESOLVED = "resolved"


CARRIERS: tuple[str, ...] = (
    "FedEx", "FedEx SmartPost", "FedEx Freight", "UPS", "UPS Freight", "UPS Mail Innovations",
    "UPS SurePost", "OnTrac", "OnTrac Direct Post", "DHL", "DHL Global Mail", "USPS", "CEVA",
    "Laser Ship", "Spee Dee", "A Duie Pyle", "A1", "ABF", "APEX", "Averitt", "Dynamex",
    "Eastern Connection", "Ensenda", "Estes", "Land Air Express", "Lone Star", "Meyer",
    "New Penn", "Pilot", "Prestige", "RBF", "Reddaway", "RL Carriers", "Roadrunner",
    "Southeastern Freight", "UDS", "UES", "YRC", "Other",
)  # fmt: skip

SHIPPING_METHODS: tuple[str, ...] = (
    "Freight", "DHL Global Mail", "FedEx 2 Day", "FedEx Express Saver", "FedEx First Overnight",
    "FedEx Ground", "FedEx Home Delivery", "FedEx Priority Overnight", "FedEx Smart Post",
    "FedEx Standard Overnight", "Ontrac Ground", "UPS 2nd Day Air AM", "UPS 2nd Day Air",
    "UPS 3 Day Select", "UPS Ground", "UPS Mail Innovations", "UPS Next Day Air Saver",
    "UPS Next Day Air", "UPS SurePost", "USPS First Class Mail", "USPS Media Mail",
    "USPS Priority Mail Express", "USPS Priority Mail", "USPS Standard Post",
)  # fmt: skip

SERVICE_LEVELS: tuple[str, ...] = (
    "Second Day", "Next Day", "Scheduled (freight)", "Expedited", "Standard", "Priority",
    "5 to 10 Day", "11 to 20 Day", "Scheduled (freight 11 to 20 day)",
)  # fmt: skip

SHIPPING_EXCEPTION_TYPES: tuple[str, ...] = ("exclusive", "restricted")
OVERRIDE_TYPES: tuple[str, ...] = ("Override charge", "Additional charge")


class ReturnStatus(StrEnum):
    CREATED = "created"
    IN_PROGRESS = "inprogress"
    COMPLETED_BY_MERCHANT = "completed by merchant"


# GET /returns/{status} path values → the detail's return_status. RUBY and NODE disagree, so
# both spellings are accepted; NODE's extra filters map to the closest detail state.
RETURN_STATUS_PATHS: dict[str, ReturnStatus] = {
    "created": ReturnStatus.CREATED,
    "inprogress": ReturnStatus.IN_PROGRESS,
    "acknowledged": ReturnStatus.IN_PROGRESS,
    "completed by merchant": ReturnStatus.COMPLETED_BY_MERCHANT,
    "completedbymerchant": ReturnStatus.COMPLETED_BY_MERCHANT,
}
# NODE filters that select by a flag, not a state: refund without return / refunded by Jet.
RETURN_FLAG_PATHS: tuple[str, ...] = ("refundcustomerwithoutreturn", "jetrefunded")

RETURN_REASONS: tuple[str, ...] = (
    "No longer want this item", "Received the wrong item", "Website description is inaccurate",
    "Product is defective / does not work", "Item arrived damaged - box intact",
    "Item arrived damaged - box damaged", "Package never arrived", "Package arrived late",
    "Wrong quantity received", "Better price found elsewhere", "Unwanted gift",
    "Accidental order", "Unauthorized purchase", "Item is missing parts / accessories",
    "Item is refurbished", "Item is expired", "Package arrived after estimated delivery date",
)  # fmt: skip

CHARGE_FEEDBACK: tuple[str, ...] = (
    "other", "outsideMerchantPolicy", "notMerchantError", "wrongItem", "fraud",
    "returnedOutsideWindow",
)  # fmt: skip

# Return refund feedback: AERO's capitalised set and the lower-case set CED sends.
REFUND_FEEDBACK: tuple[str, ...] = (
    "Item is missing parts/accessories", "Wrong Item", "Item damaged", "Returned outside window",
    "Restocking fee", "Not shipped in original packaging", "Rerouting fee",
    "other", "item damaged", "not shipped in original packaging", "customer opened item",
)  # fmt: skip

# Merchant-initiated refund feedback (AERO MRefundFeedback).
MERCHANT_REFUND_FEEDBACK: tuple[str, ...] = (
    "Item damaged", "Wrong item", "Item is missing parts/accessories", "Returned outside window",
    "Restocking fee", "Not shipped in original packaging", "Rerouting fee", "Items not received",
    "Refunded minus shipping cost",
)  # fmt: skip

REFUND_REASONS: tuple[str, ...] = RETURN_REASONS + (
    "Return to Sender - damaged, undeliverable, refused",
    "Return to Sender - lost in transit only",
    # AERO's older lower-case set (CreatedRefundReason)
    "wrong quantity received", "received wrong item than what was ordered", "accidental order",
    "item is damaged/broken", "item is defective/does not work properly",
    "shipping box and item are both damaged", "item was different than website description",
    "package arrived later than promised delivery date", "package never arrived",
    "unwanted gift", "unauthorized purchase", "better price available", "no longer need/want",
)  # fmt: skip


class RefundStatus(StrEnum):
    CREATED = "created"
    PROCESSING = "processing"
    ACCEPTED = "accepted"
    REJECTED_CARD = "rejected - customer card not valid"
    REJECTED_POLICY = "rejected - refund conflicts with returns policy"


# GET /refunds/{status} path values (RUBY lower-case; AERO capitalised: matched ignoring case).
REFUND_STATUS_PATHS: tuple[str, ...] = ("created", "processing", "accepted", "rejected")


class FileType(StrEnum):
    MERCHANT_SKUS = "MerchantSKUs"
    PRICE = "Price"
    INVENTORY = "Inventory"
    VARIATION = "Variation"
    RETURNS_EXCEPTION = "ReturnsException"
    SHIPPING_EXCEPTION = "ShippingException"
    ARCHIVE = "Archive"


class FileStatus(StrEnum):
    ACKNOWLEDGED = "Acknowledged"
    MERCHANT_ACKNOWLEDGED = "Merchant acknowledged"
    PROCESSING = "Processing"
    PROCESSED_OK = "Processed successfully"
    PROCESSED_WITH_ERRORS = "Processed with errors"


CPSIA_NONE = "no warning applicable"
CPSIA_STATEMENTS: tuple[str, ...] = (
    CPSIA_NONE,
    "choking hazard small parts",
    "choking hazard is a small ball",
    "choking hazard is a marble",
    "choking hazard contains a small ball",
    "choking hazard contains a marble",
    "choking hazard balloon",
)


class MapType(StrEnum):
    NO_RESTRICTIONS = "101"
    LOGGED_IN_ONLY = "102"
    NEVER_APPLIED = "103"


PRODUCT_TAX_CODES: tuple[str, ...] = (
    "Adult Diapers", "Athletic Clothing", "Baby Supplies", "Bandages and First Aid Kits",
    "Bathing Suits", "Beverages with 51 to 99 Percent Juice", "Bottled Water Plain",
    "Braces and Supports", "Breast Pumps", "Candy", "Candy with Flour", "Car Seats",
    "Carbonated Soft Drinks", "Contact Lens Solution", "Contraceptives", "Costumes",
    "Diabetic Supplies", "Dietary Supplements", "Disposable Infant Diapers", "Disposable Wipes",
    "Drinks under 50 Percent Juice", "Durable Medical Equipment", "Feminine Hygiene Products",
    "Fluoride Toothpaste", "General Clothing", "General Grocery Items", "Generic Taxable Product",
    "Handkerchiefs", "Helmets", "N/A - Inactive", "Infant Clothing", "Magazines",
    "Medicated Personal Care Items", "Mobility Equipment", "Non Taxable Product",
    "Non-Motorized Boats", "Oral Care Products", "OTC Medication", "OTC Pet Meds",
    "Paper Products", "Pet Foods", "Productivity Software", "Safety Clothing", "Shoe Insoles",
    "Smoking Cessation", "Sparkling Water", "SPF Suncare Products", "Sweatbands", "Thermometers",
    "Toilet Paper",
)  # fmt: skip
