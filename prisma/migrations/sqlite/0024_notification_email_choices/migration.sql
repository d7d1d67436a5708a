-- The kinds of notification each user chose not to receive by email (the in-app list always has them).

CREATE TABLE "NotificationEmailOptOut" (
    "userId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,

    PRIMARY KEY ("userId", "kind"),
    CONSTRAINT "NotificationEmailOptOut_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
