"""A delivery status notification (RFC 3464) as a recipient's mail server writes it."""


def dsn(return_path: str, failed: str, status: str = "5.1.1") -> bytes:
    action = "failed" if status.startswith(("4", "5")) else "delivered"
    return (
        "From: MAILER-DAEMON@mx.example.net\r\n"
        f"To: {return_path}\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B0UND"\r\n'
        "\r\n"
        "--B0UND\r\n"
        "Content-Type: text/plain\r\n\r\n"
        "This is the mail system at host mx.example.net. I'm sorry to have to inform you\r\n"
        "that your message could not be delivered.\r\n"
        "--B0UND\r\n"
        "Content-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.example.net\r\n\r\n"
        f"Final-Recipient: rfc822; {failed}\r\n"
        f"Action: {action}\r\n"
        f"Status: {status}\r\n"
        f"Diagnostic-Code: smtp; 550 {status} <{failed}>: Recipient address rejected\r\n"
        "--B0UND\r\n"
        "Content-Type: text/rfc822-headers\r\n\r\n"
        "Subject: Sign before COP\r\n"
        "--B0UND--\r\n"
    ).encode()
