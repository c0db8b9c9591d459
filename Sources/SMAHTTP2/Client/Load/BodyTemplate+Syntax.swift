extension BodyTemplate {
    /// The template language, as printed by `sma-load --help`.
    public static let syntax = """
    A template describes one protobuf message, one field per line (or separated by ';'):
        NUMBER:KIND:VALUE              a scalar field
        NUMBER:message { FIELDS }      a nested message (FIELDS in the same syntax)
        # comment                      a whole line (after a value, '#' is part of it)
      KIND: string bytes hex int32 int64 uint32 uint64 sint32 sint64 bool enum
            fixed32 fixed64 sfixed32 sfixed64 float double
      A repeated field is written as several lines with the same NUMBER.
      VALUE runs to the end of the line, ';' or '}' (trailing blanks dropped); quote it
      ("...", with \\" and \\\\) to keep blanks or those characters. '{{' is a literal '{'.
      string/bytes values mix text and placeholders; hex takes static hex digits; numeric
      kinds take one number or one numeric placeholder; bool takes true/false/1/0.
    Placeholders, filled per request (one value per request, however often used):
        {seq}             the request number (--seq-start, +1 per request)
        {uuid}            a random version-4 UUID
        {vin}             a 17-character VIN with a valid check digit, from a pool of --vins;
                          a VIN is not reused while its request is in flight (vins >= concurrency)
        {odometer}        that VIN's odometer: increases by 1..250 with every request using it;
                          the same seed gives each VIN the same readings in every run (add
                          --odometer-offset to stay above an earlier run's readings)
        {rand:LOW:HIGH}   a random integer in LOW...HIGH
        {now_s} {now_ms}  Unix time in seconds / milliseconds
        {choice:a|b|c}    one of the options at random (numeric options fit numeric fields)
    Example (a RecordOdometer-like command):
        1:string:{vin}
        2:uint64:{odometer}
        3:string:req-{seq}
        4:message { 1:int64:{now_s}; 2:int32:0 }
        5:enum:{choice:1|2|3}
    """
}
